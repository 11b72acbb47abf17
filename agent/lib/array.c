/* Growable arrays. */
#include "array.h"

#include <stdint.h>
#include <stdlib.h>

int array_reserve(void **v, size_t *cap, size_t count, size_t size)
{
	if (count <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < count) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
	if (size && c > SIZE_MAX / size)
		return -1;
	void *nv = realloc(*v, c * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}
