/* Text handed to cvpportd by processes (names) made safe for a DisplayString, a terminal and
 * a log: NVT printable ASCII only. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* The longest escaped form of n input bytes, with its terminating NUL. */
#define TEXT_ESCAPED_SIZE(n) (4 * (n) + 1)

/* Copies the n bytes of in to out (outlen bytes, NUL-terminated), writing every byte outside
 * 0x20-0x7e, and the backslash itself, as \xNN (two lower-case hex digits), so the result is
 * printable ASCII and the original bytes can be told back. Stops before an escape that would
 * not fit. Returns the length written. */
size_t text_escape(const void *in, size_t n, char *out, size_t outlen);

/* Formats an error message into err (errlen bytes) and returns -1, for parsers that report
 * "return text_fail(err, errlen, ...)". */
int text_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
