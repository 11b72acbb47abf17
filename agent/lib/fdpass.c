/* Passing a descriptor (fdpass.h). */
#include "fdpass.h"

#include <string.h>

void fdpass_attach(struct msghdr *msg, char *control, int fd)
{
	memset(control, 0, FDPASS_CONTROL);
	msg->msg_control = control;
	msg->msg_controllen = FDPASS_CONTROL;
	if (fd < 0)
		return;
	struct cmsghdr *h = CMSG_FIRSTHDR(msg);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
}

int fdpass_take(const struct msghdr *msg)
{
	int fd = -1;
	const struct cmsghdr *h = CMSG_FIRSTHDR(msg);
	if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS &&
	    h->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}
