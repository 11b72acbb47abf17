/* Threads that leave signals to the main thread: a thread starts with every signal blocked, so
 * that SIGHUP's or SIGTERM's handler never runs on it. */
#ifndef CVP_THREAD_H
#define CVP_THREAD_H

#include <pthread.h>

/* pthread_create with every signal blocked in the new thread. Returns 0, or pthread_create's
 * error number. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
