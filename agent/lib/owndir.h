/* A directory of cvpportd's own (the state directory, the AgentX relay's): one that nobody else
 * could plant a file in, or replace one in. */
#ifndef OWNDIR_H
#define OWNDIR_H

#include <stddef.h>
#include <sys/types.h>

/* Makes dir with mode when missing; refuses it unless it is a real directory (not a link)
 * owned by root or this process's user that nobody else may write. what names it in messages
 * ("state directory"). Returns 0, or -1 with "DIR: reason" in err. */
int owndir_check(const char *dir, mode_t mode, const char *what, char *err, size_t errlen);

#endif
