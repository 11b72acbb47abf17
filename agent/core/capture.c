/* Another host's listeners from a netstat or ss capture (capture.h). */
#include "capture.h"
#include "fileread.h"
#include "host_state.h"
#include "text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 16

static const char *const format_names[] = {"auto", "netstat", "ss", "powershell"};

int capture_format_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

const char *capture_format_name(enum capture_format f)
{
	return format_names[f];
}

void capture_ephemeral_range(const struct capture *c, uint16_t *low, uint16_t *high)
{
	if (c->eph_high) {
		*low = c->eph_low;
		*high = c->eph_high;
	} else { /* (the system's defaults, as a host's sysDescr would name it) */
		host_state_ephemeral_range(c->format == CAPTURE_SS ? "Linux" : "Windows", 0, low,
		                           high);
	}
}

/* The capture as ASCII text, NUL-terminated (malloc'ed): UTF-16LE with a BOM taken a code unit
 * at a time, a UTF-8 BOM dropped, every byte or unit outside ASCII (and NUL) read as '?'. */
static char *decode(const unsigned char *d, size_t len)
{
	int utf16 = len >= 2 && d[0] == 0xff && d[1] == 0xfe;
	size_t at = utf16 ? 2 : len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf ? 3 : 0;
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = at; i + (size_t)utf16 < len; i += 1 + (size_t)utf16) {
		unsigned c = utf16 ? d[i] | (unsigned)d[i + 1] << 8 : d[i];
		*o++ =
		    c == '\n' || c == '\r' || c == '\t' || (c >= ' ' && c < 0x7f) ? (char)c : '?';
	}
	*o = '\0';
	return out;
}

/* "ADDRESS:PORT" as netstat and ss print it: A.B.C.D, [V6] or [V6%ZONE], ss's * (both
 * families) and ADDRESS%IFNAME. Returns 0, or -1. */
static int endpoint(const char *t, struct cvp_socket *s)
{
	char addr[64];
	const char *colon = strrchr(t, ':');
	if (!colon || colon == t || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || !colon[1])
		return -1;
	unsigned long port = strtoul(colon + 1, NULL, 10);
	size_t n = (size_t)(colon - t);
	if (port > 65535 || n >= sizeof(addr))
		return -1;
	memcpy(addr, t, n);
	addr[n] = '\0';
	if (addr[0] == '[') { /* [V6] or [V6%ZONE] (netstat), or [V6]%IF (ss) */
		char *close = strchr(addr, ']');
		if (!close)
			return -1;
		*close = '\0';
	}
	char *pct = strchr(addr, '%');
	if (pct) {
		s->ifindex = (uint32_t)strtoul(pct + 1, NULL, 10); /* a name reads 0: no zone */
		*pct = '\0';
	}
	s->port = (uint16_t)port;
	const char *a = addr[0] == '[' ? addr + 1 : addr;
	if (strcmp(a, "*") == 0) { /* ss: a socket of both families */
		s->family = 6;
		s->v6only = 0;
		return 0;
	}
	if (inet_pton(AF_INET, a, s->addr) == 1) {
		s->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, a, s->addr) != 1)
		return -1;
	s->family = 6;
	s->v6only = 1; /* (ss shows a socket of both families as *) */
	if (!(s->addr[0] == 0xfe && (s->addr[1] & 0xc0) == 0x80))
		s->ifindex = 0;
	sock_unmap_v4(s);
	return 0;
}

/* Splits line (modified) on blanks. */
static int tokens(char *line, char **tok)
{
	int n = 0;
	for (char *save = NULL, *w = strtok_r(line, " \t", &save); w && n < MAX_TOKENS;
	     w = strtok_r(NULL, " \t", &save))
		tok[n++] = w;
	return n;
}

static int is_number(const char *t)
{
	return *t && strlen(t) <= 10 && strspn(t, "0123456789") == strlen(t);
}

/* A socket of the capture: another host's, its holder named by name (may be NULL) and pid. */
static struct cvp_socket *add(struct capture *c, int proto, const char *local)
{
	struct cvp_socket s = {.uid = CVP_UID_UNKNOWN,
	                       .proc_uid = CVP_UID_UNKNOWN,
	                       .proc_euid = CVP_UID_UNKNOWN,
	                       .holder = CVP_HOLDER_UNKNOWN,
	                       .proto = (uint8_t)proto};
	if (endpoint(local, &s) < 0) {
		c->skipped++;
		return NULL;
	}
	struct cvp_socket *slot = sock_list_add(&c->socks);
	if (slot) {
		*slot = s;
		c->rows++;
	}
	return slot;
}

static void name_holder(struct capture *c, struct cvp_socket *s, const char *name, size_t n)
{
	text_escape(name, n, s->comm, sizeof(s->comm));
	s->holder = CVP_HOLDER_PROCESS;
	c->named++;
}

/* netstat -ano / -abno: a row (TCP listeners and UDP endpoints taken, connections left), or -b's
 * [name.exe] line naming the process of the row above it. */
static void netstat_line(struct capture *c, const char *raw, char **t, int n,
                         struct cvp_socket **last)
{
	const char *p = raw + strspn(raw, " \t");
	size_t len = strcspn(p, "\r\n");
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len > 2 && p[0] == '[' && p[len - 1] == ']') {
		if (*last && (*last)->holder != CVP_HOLDER_PROCESS)
			name_holder(c, *last, p + 1, len - 2);
		return;
	}
	int tcp = n && strcasecmp(t[0], "TCP") == 0, udp = n && strcasecmp(t[0], "UDP") == 0;
	if ((!tcp && !udp) || n < 3)
		return;
	if (tcp && strcmp(t[2], "0.0.0.0:0") != 0 && strcmp(t[2], "[::]:0") != 0 &&
	    strcmp(t[2], "*:*") != 0) {
		*last = NULL; /* a connection: its -b line is not a listener's */
		return;
	}
	*last = add(c, tcp ? CVP_TCP : CVP_UDP, t[1]);
	/* -o's PID ends the row (a localized state may be two words: "A L'ECOUTE") */
	if (*last && n > 3 && is_number(t[n - 1]))
		(*last)->pid = (uint32_t)strtoul(t[n - 1], NULL, 10);
}

/* ss -tulpn: a TCP socket in LISTEN, a UDP one UNCONN; its process from users:(("name",pid=N. */
static void ss_line(struct capture *c, const char *raw, char **t, int n)
{
	int i = n && (strcmp(t[0], "tcp") == 0 || strcmp(t[0], "udp") == 0) ? 1 : 0;
	if (n < i + 5)
		return;
	int tcp = i ? strcmp(t[0], "tcp") == 0 : strcmp(t[i], "LISTEN") == 0;
	if (strcmp(t[i], tcp ? "LISTEN" : "UNCONN") != 0)
		return; /* (a header, a connection) */
	struct cvp_socket *s = add(c, tcp ? CVP_TCP : CVP_UDP, t[i + 3]);
	const char *u = s ? strstr(raw, "users:((\"") : NULL;
	if (!u)
		return;
	u += 9;
	size_t len = strcspn(u, "\"");
	if (u[len] != '"')
		return;
	name_holder(c, s, u, len);
	const char *pid = strstr(u + len, "pid=");
	if (pid && pid[4] >= '0' && pid[4] <= '9')
		s->pid = (uint32_t)strtoul(pid + 4, NULL, 10);
}

/* The fields of a PowerShell object that matter, by their names (CSV columns, JSON keys). */
enum ps_field { PS_ADDRESS, PS_PORT, PS_PID, PS_NAME, PS_PROTOCOL, PS_STATE, PS_FIELDS };
static const char *const ps_names[PS_FIELDS] = {"LocalAddress", "LocalPort", "OwningProcess",
                                                "ProcessName",  "Protocol",  "State"};

static int ps_field_of(const char *name)
{
	for (int k = 0; k < PS_FIELDS; k++)
		if (strcmp(name, ps_names[k]) == 0)
			return k;
	return -1;
}

/* The columns of a PowerShell CSV export, by their header's names (-1: absent). */
struct csv_columns {
	int at[PS_FIELDS];
};

/* The fields of a CSV line (modified): quoted or bare, separated by commas. */
static int csv_fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (*p && n < max) {
		if (*p == '"') {
			f[n++] = ++p;
			char *q = strchr(p, '"');
			if (!q)
				break;
			*q = '\0';
			p = q + 1;
		} else {
			f[n++] = p;
			p += strcspn(p, ",");
		}
		if (*p == ',')
			*p++ = '\0';
		else if (*p)
			*p++ = '\0';
	}
	return n;
}

/* The header of a PowerShell CSV export: its columns; 0 when the line is none. */
static int csv_header(const char *raw, struct csv_columns *col)
{
	char line[1024], *f[MAX_TOKENS];
	if (!strstr(raw, "LocalAddress") || !strstr(raw, "LocalPort"))
		return 0;
	snprintf(line, sizeof(line), "%s", raw);
	int n = csv_fields(line, f, MAX_TOKENS);
	for (int k = 0; k < PS_FIELDS; k++)
		col->at[k] = -1;
	for (int i = 0; i < n; i++) {
		int k = ps_field_of(f[i]);
		if (k >= 0)
			col->at[k] = i;
	}
	return col->at[PS_ADDRESS] >= 0 && col->at[PS_PORT] >= 0;
}

/* A PowerShell object's fields (CSV or JSON): the ones read, "" where absent. */
struct ps_object {
	char v[PS_FIELDS][64];
};

/* A PowerShell object: TCP (no Protocol: Get-NetTCPConnection) in state Listen (2), or UDP. */
static void take_object(struct capture *c, const struct ps_object *o)
{
	char local[160];
	const char *state = o->v[PS_STATE], *address = o->v[PS_ADDRESS];
	int udp = strcasecmp(o->v[PS_PROTOCOL], "UDP") == 0;
	if (!udp && *state && strcasecmp(state, "Listen") != 0 && strcmp(state, "2") != 0)
		return; /* a connection */
	snprintf(local, sizeof(local), strchr(address, ':') ? "[%s]:%s" : "%s:%s", address,
	         o->v[PS_PORT]);
	struct cvp_socket *s = add(c, udp ? CVP_UDP : CVP_TCP, local);
	if (s && is_number(o->v[PS_PID]))
		s->pid = (uint32_t)strtoul(o->v[PS_PID], NULL, 10);
	if (s && *o->v[PS_NAME])
		name_holder(c, s, o->v[PS_NAME], strlen(o->v[PS_NAME]));
}

/* A PowerShell CSV row. */
static void csv_line(struct capture *c, const char *raw, const struct csv_columns *col)
{
	char line[1024], *f[MAX_TOKENS];
	struct ps_object o = {0};
	snprintf(line, sizeof(line), "%s", raw);
	int n = csv_fields(line, f, MAX_TOKENS);
	if (n <= col->at[PS_ADDRESS] || n <= col->at[PS_PORT])
		return;
	for (int k = 0; k < PS_FIELDS; k++)
		if (col->at[k] >= 0 && col->at[k] < n)
			snprintf(o.v[k], sizeof(o.v[k]), "%s", f[col->at[k]]);
	take_object(c, &o);
}

/* A JSON value at p (a string, its escapes read as the escaped character, \uXXXX as '?'; or a
 * bare number or word) into out; returns where it ends, or NULL when it does not. */
static const char *json_value(const char *p, char *out, size_t len)
{
	size_t n = 0;
	if (*p != '"') {
		size_t k = strcspn(p, ",}] \t\r\n");
		snprintf(out, len, "%.*s", (int)(k < len ? k : len - 1), p);
		return p + k;
	}
	for (p++; *p && *p != '"'; p++) {
		char ch = *p;
		if (ch == '\\') {
			if (!*++p)
				return NULL;
			ch = *p;
			if (ch == 'u') {
				size_t hex = strspn(p + 1, "0123456789abcdefABCDEF");
				p += hex > 4 ? 4 : hex;
				ch = '?';
			}
		}
		if (n + 1 < len)
			out[n++] = ch;
	}
	out[n] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

/* One JSON object from p (after its '{'): its fields of interest; returns where it ends. */
static const char *json_object(struct capture *c, const char *p)
{
	struct ps_object o = {0};
	char key[32], value[sizeof(o.v[0])];
	while (p && *p && *p != '}') {
		p += strspn(p, " \t\r\n,");
		if (*p != '"')
			break;
		if (!(p = json_value(p, key, sizeof(key))))
			return NULL;
		p += strspn(p, " \t\r\n");
		if (*p++ != ':')
			return NULL;
		p += strspn(p, " \t\r\n");
		if (*p == '{' || *p == '[') /* (a nested value: not one of ours) */
			return NULL;
		if (!(p = json_value(p, value, sizeof(value))))
			return NULL;
		int k = ps_field_of(key);
		if (k >= 0)
			snprintf(o.v[k], sizeof(o.v[k]), "%s", value);
		p += strspn(p, " \t\r\n");
	}
	if (*o.v[PS_ADDRESS] || *o.v[PS_PORT]) {
		if (*o.v[PS_ADDRESS] && *o.v[PS_PORT])
			take_object(c, &o);
		else
			c->skipped++;
	}
	return p && *p == '}' ? p + 1 : NULL;
}

/* PowerShell's ConvertTo-Json: an object, or an array of them. Returns 1 when text is JSON. */
static int read_json(struct capture *c, const char *text)
{
	const char *p = text + strspn(text, " \t\r\n");
	if ((*p != '[' && *p != '{') || !strstr(p, "LocalAddress"))
		return 0;
	while ((p = strchr(p, '{'))) {
		unsigned before = c->rows + c->skipped;
		p = json_object(c, p + 1);
		if (!p) {
			c->skipped += c->rows + c->skipped == before;
			break; /* (what does not parse ends the reading: counted) */
		}
	}
	c->format = CAPTURE_POWERSHELL;
	return 1;
}

/* netsh int ipv4 show dynamicport: "label : number" lines, start then count, after a line that
 * names tcp or udp (UDP's range kept over TCP's). */
static void netsh_line(struct capture *c, const char *raw, int *proto, long *start)
{
	char word[16];
	const char *colon = strrchr(raw, ':');
	if (strcasestr(raw, "udp") && !colon)
		*proto = CVP_UDP;
	else if (strcasestr(raw, "tcp") && !colon)
		*proto = CVP_TCP;
	/* (netsh aligns its labels: a blank before the colon, never inside an address) */
	if (!colon || colon == raw || colon[-1] != ' ' || sscanf(colon + 1, " %15s", word) != 1 ||
	    !is_number(word) || !*proto)
		return;
	long v = strtol(word, NULL, 10);
	if (*start < 0) {
		*start = v;
		return;
	}
	if (*start >= 1 && v >= 1 && *start + v - 1 <= 65535 &&
	    (*proto == CVP_UDP || !c->eph_high)) {
		c->eph_low = (uint16_t)*start;
		c->eph_high = (uint16_t)(*start + v - 1);
	}
	*start = -1;
}

/* The format a line is shaped as: netstat's rows start TCP or UDP, ss's tcp, udp, LISTEN or
 * UNCONN, PowerShell's CSV has its header; 0 for neither. */
static enum capture_format shape(const char *raw, char **t, int n, struct csv_columns *col)
{
	if (csv_header(raw, col))
		return CAPTURE_POWERSHELL;
	if (n >= 3 && (strcmp(t[0], "TCP") == 0 || strcmp(t[0], "UDP") == 0) && strchr(t[1], ':'))
		return CAPTURE_NETSTAT;
	if ((n >= 6 && (strcmp(t[0], "tcp") == 0 || strcmp(t[0], "udp") == 0)) ||
	    (n >= 5 && (strcmp(t[0], "LISTEN") == 0 || strcmp(t[0], "UNCONN") == 0)))
		return CAPTURE_SS;
	return CAPTURE_AUTO;
}

/* What reading a capture line by line keeps from one line to the next. */
struct line_reader {
	enum capture_format f;   /* auto until the first row's shape decides */
	struct cvp_socket *last; /* netstat's row above (-b names its process) */
	struct csv_columns col;  /* PowerShell CSV's header */
	int proto;               /* netsh: the protocol of the range being read */
	long start;              /* netsh: its start, -1 before it */
};

static void read_line(struct capture *c, char *line, struct line_reader *r)
{
	char *tok[MAX_TOKENS], raw[1024];
	snprintf(raw, sizeof(raw), "%s", line);
	netsh_line(c, raw, &r->proto, &r->start);
	int n = tokens(line, tok);
	if (r->f == CAPTURE_AUTO)
		r->f = shape(raw, tok, n, &r->col);
	else if (r->f == CAPTURE_POWERSHELL && r->col.at[PS_ADDRESS] < 0)
		csv_header(raw, &r->col);
	if (r->f == CAPTURE_NETSTAT)
		netstat_line(c, raw, tok, n, &r->last);
	else if (r->f == CAPTURE_SS)
		ss_line(c, raw, tok, n);
	else if (r->f == CAPTURE_POWERSHELL && r->col.at[PS_ADDRESS] >= 0 &&
	         !strstr(raw, "LocalPort"))
		csv_line(c, raw, &r->col);
}

/* Each line of text (modified), numbered, so that the first row skipped can be named. */
static void read_lines(struct capture *c, char *text, enum capture_format f)
{
	struct line_reader r = {.f = f, .col = {{-1, -1, -1, -1, -1, -1}}, .start = -1};
	unsigned number = 0;
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		number++;
		unsigned skipped = c->skipped;
		read_line(c, line, &r);
		if (c->skipped > skipped && !c->first_skipped)
			c->first_skipped = number;
	}
	c->format = r.f;
}

int capture_read(const unsigned char *data, size_t len, enum capture_format f, struct capture *c,
                 char *err, size_t errlen)
{
	char *text = decode(data, len);
	if (!text)
		return text_fail(err, errlen, "out of memory");
	if ((f != CAPTURE_AUTO && f != CAPTURE_POWERSHELL) || !read_json(c, text))
		read_lines(c, text, f);
	free(text);
	if (c->rows + c->skipped == 0)
		return text_fail(
		    err, errlen,
		    "no listener row of netstat -ano, netstat -abno, PowerShell's CSV or ss -tulpn "
		    "in it "
		    "(an empty or foreign file is never \"no listener\")");
	return 0;
}

/* The bytes of the open file fd, size bytes at most (a file that shrank: what was read). */
/* Whether every user could plant what a capture at path says: the file, or a directory above
 * it, writable by others (a root-owned sticky directory excepted: nobody can replace what lies
 * in it). A share's group may write (the server's task does); every local user may not. */
static int plantable(const char *path, const struct stat *st, char *err, size_t errlen)
{
	char real[PATH_MAX];
	struct stat ds;
	if (st->st_mode & S_IWOTH)
		return text_fail(err, errlen, "the capture is writable by every user (chmod o-w)");
	if (!realpath(path, real))
		return text_fail(err, errlen, "the capture: %s", strerror(errno));
	for (char *slash = strrchr(real, '/'); slash && slash != real; slash = strrchr(real, '/')) {
		*slash = '\0';
		if (stat(real, &ds) < 0 ||
		    ((ds.st_mode & S_IWOTH) && !((ds.st_mode & S_ISVTX) && ds.st_uid == 0)))
			return text_fail(err, errlen,
			                 "a directory above the capture is writable by every user "
			                 "(chmod o-w)");
	}
	return 0;
}

int capture_read_file(const char *path, enum capture_format f, struct capture *c, long long *mtime,
                      char *err, size_t errlen)
{
	struct stat st;
	size_t len = 0;
	unsigned char *data = NULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return text_fail(err, errlen, "cannot open the capture: %s",
		                 errno == ELOOP    ? "a symbolic link"
		                 : errno == EACCES ? "permission denied (the daemon's agent reads "
		                                     "captures as its own user: make the file and "
		                                     "its directories readable to it)"
		                                   : strerror(errno));
	int rc = -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		text_fail(err, errlen, "the capture is not a regular file");
	else if (plantable(path, &st, err, errlen) < 0)
		; /* (said) */
	else if (st.st_size > (off_t)CAPTURE_FILE_MAX)
		text_fail(err, errlen, "the capture is larger than %u bytes", CAPTURE_FILE_MAX);
	else if (!(data = (unsigned char *)fileread_all(fd, CAPTURE_FILE_MAX, &len)))
		text_fail(err, errlen, "cannot read the capture: %s", strerror(errno));
	else
		rc = capture_read(data, len, f, c, err, errlen);
	if (mtime)
		*mtime = (long long)st.st_mtime;
	free(data);
	close(fd);
	return rc;
}

void capture_free(struct capture *c)
{
	sock_list_free(&c->socks);
}
