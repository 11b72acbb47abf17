/* A directory of cvpportd's own (owndir.h). */
#include "owndir.h"
#include "text.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int owndir_check(const char *dir, mode_t mode, const char *what, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(dir, mode) < 0 && errno != EEXIST)
		return text_fail(err, errlen, "%s: %s", dir, strerror(errno));
	if (lstat(dir, &st) < 0)
		return text_fail(err, errlen, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return text_fail(err, errlen, "%s: not a directory (a symbolic link?)", dir);
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))
		return text_fail(err, errlen,
		                 "%s: the %s can be written by others (owner %u, mode %04o): chmod "
		                 "go-w it, or give cvpportd a directory of its own",
		                 dir, what, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	return 0;
}
