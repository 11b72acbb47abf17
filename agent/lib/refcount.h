/* An intrusive reference count, as the kernel's kref: the object embeds it, every holder takes
 * a reference, and the last one dropped calls the object's release. Atomic, since the builder
 * thread and net-snmp's thread hold references to the same settings. */
#ifndef CVP_REFCOUNT_H
#define CVP_REFCOUNT_H

#include <stdatomic.h>
#include <stddef.h>

struct refcount {
	atomic_uint n;
	void (*release)(struct refcount *r); /* frees the object that embeds r */
};

/* One reference, the creator's. */
static inline void refcount_init(struct refcount *r, void (*release)(struct refcount *r))
{
	atomic_init(&r->n, 1);
	r->release = release;
}

/* Takes a reference (none for NULL: an object that lives for good). Returns r. */
static inline struct refcount *refcount_get(struct refcount *r)
{
	if (r)
		atomic_fetch_add_explicit(&r->n, 1, memory_order_relaxed);
	return r;
}

/* Drops a reference; the last one releases the object. */
static inline void refcount_put(struct refcount *r)
{
	if (r && atomic_fetch_sub_explicit(&r->n, 1, memory_order_acq_rel) == 1)
		r->release(r);
}

#endif
