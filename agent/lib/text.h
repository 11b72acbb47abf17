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

/* The core's error convention. A function that can fail returns 0 (or a count, a pointer) on
 * success and -1 (or NULL) on failure. Where the caller must be able to say what failed, it
 * passes a buffer (err, errlen) that receives one line naming the thing and the reason ("FILE:
 * LINE: bad port set '70000' ...", "out of memory"); otherwise errno says it. The refinements,
 * each named in its function's comment: a directive parser returns 1 for a token that is not
 * its own (so the next parser may take it); a reader that goes on past errors (a file of
 * directives) returns how many it reported; a caller that must tell kinds of failure apart
 * gets distinct negative values named in an enum (scan_netlink: transient, permanent); a step
 * of a longer exchange says 1 for "done" beside 0 for "more" (a netlink dump's buffer). Nothing in
 * the core logs: the caller decides what reaches the log. text_fail formats the message into err
 * and returns -1, for "return text_fail(err, errlen, ...)". */
int text_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
