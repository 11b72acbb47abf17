/* Helpers shared by the unit tests that look at socket lists. Include after cmocka.h. */
#ifndef TEST_SOCKETS_H
#define TEST_SOCKETS_H

#include "sock.h"

/* The socket with this inode; fails the test when there is none. */
static inline const struct cvp_socket *by_inode(const struct cvp_socket_list *l, uint64_t inode)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].inode == inode)
			return &l->v[i];
	fail_msg("inode %llu not in the list", (unsigned long long)inode);
	return NULL;
}

#endif
