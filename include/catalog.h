/* The port catalogue: the rows CVP documents, adjusted by configuration directives. */
#ifndef CVP_CATALOG_H
#define CVP_CATALOG_H

#include "enums.h"
#include "catalog_parse.h"
#include "portset.h"

#define CVP_OWNER_MAX 8    /* process names in one owner rule */
#define CVP_PATTERN_LEN 64 /* a process-name pattern (names are escaped: up to 60) */
#define CVP_IGNORE_PROCS_MAX 32

/* cvpPortOwner: the processes allowed to hold a row's sockets. */
struct cvp_owner_rule {
	uint8_t n;                                  /* 0: any process */
	char comm[CVP_OWNER_MAX][CVP_PATTERN_LEN];  /* exact, or a prefix when it ends in '*' */
	int64_t uid;                                /* -1: any user */
	char text[CVP_OWNER_MAX * CVP_PATTERN_LEN]; /* as written: "java*,tomcat cvp" */
};

struct cvp_row {
	char name[CVP_NAME_LEN];
	/* never NULL; "" when absent. note: the document's words only; rationale: this project's
	 * reading (why requirement, role, match and direction are what they are). */
	char *listener, *remote, *note, *rationale;
	struct cvp_port_set ports;
	uint8_t proto, match, direction, requirement, role;
	uint8_t removed; /* cvpPortRemove keeps the slot so later indexes stay stable */
	struct cvp_owner_rule owner;
	char origin[96]; /* "FILE:LINE" of the directive that last changed the row */
};

/* cvpIgnore PROTO PORTS [ADDRESS]: listeners that are neither expected nor unexpected. */
struct cvp_ignore {
	struct cvp_port_set ports;
	uint8_t proto;
	uint8_t family; /* 0 = any address, else 4 or 6 */
	uint8_t addr[16];
};

struct cvp_catalog {
	struct cvp_row *rows; /* index in CVP-PORT-MIB = position + 1 */
	size_t n, cap;
	struct cvp_ignore *ignores;
	size_t nignores, capignores;
	/* cvpIgnoreProcess: listeners of these processes are ignored rather than unexpected */
	char ignore_procs[CVP_IGNORE_PROCS_MAX][CVP_PATTERN_LEN];
	size_t nignore_procs;
	unsigned roles;       /* enabled roles, bit (1 << enum cvp_role) */
	char origin_file[80]; /* where the directives being applied come from ("" = unknown) */
	unsigned origin_line;
};

/* Roles enabled when configuration says nothing: the usual combined CVP server. */
#define CVP_DEFAULT_ROLES                                                                          \
	((1u << CVP_ROLE_CALLSERVER) | (1u << CVP_ROLE_VXML) | (1u << CVP_ROLE_MEDIA) |            \
	 (1u << CVP_ROLE_COMMON) | (1u << CVP_ROLE_SNMP) | (1u << CVP_ROLE_MGMT))

/* The embedded default catalogue text (agent/catalog_default.conf). */
extern const char catalog_default_text[];

void catalog_init(struct cvp_catalog *cat);
void catalog_free(struct cvp_catalog *cat);

/* Applies one directive (cvpPort, cvpPortMove, cvpPortRequire, cvpPortRemove, cvpIgnore,
 * cvpRoles) with its argument text. Returns 0, or -1 with a message in err. */
int catalog_apply(struct cvp_catalog *cat, const char *token, const char *args, char *err,
                  size_t errlen);
/* Where the next directives come from, recorded in the rows they change (file NULL: none). */
void catalog_set_origin(struct cvp_catalog *cat, const char *file, unsigned line);
/* A row's texts: freed (pointers NULL), or replaced by copies of their own ("" for NULL).
 * catalog_row_own_text returns 0, or -1 when out of memory (the texts then freed). */
void catalog_row_free_text(struct cvp_row *r);
int catalog_row_own_text(struct cvp_row *r);
/* The i-th directive catalog_apply understands and its usage, or NULL past the last. */
const char *catalog_directive(size_t i, const char **usage);

/* cvpIgnore's arguments (PROTO PORTS [ADDRESS]) into ig. Returns 0, or -1 with the message in
 * err. */
int catalog_parse_ignore(const char *args, struct cvp_ignore *ig, char *err, size_t errlen);

/* Whether a process name matches a pattern (exact, or a prefix when it ends in '*'). */
int catalog_pattern_match(const char *pattern, const char *comm);

/* Row by name, or NULL. Removed rows are not found. */
struct cvp_row *catalog_find(const struct cvp_catalog *cat, const char *name);
/* Active (not removed) rows. */
size_t catalog_active_count(const struct cvp_catalog *cat);
/* "callserver,vxml,..." for the enabled roles. */
void catalog_format_roles(unsigned roles, char *buf, size_t len);

#endif
