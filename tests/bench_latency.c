/* Benchmark probe: GET one OID from an SNMP agent back to back for SECONDS and print the
 * latency of each request's round trip: "n=N p50_us=.. p99_us=.. max_us=.. timeouts=..
 * errors=..", where errors counts answers that carry no value (an error status, noSuchObject,
 * noSuchInstance: a subagent gone from the master answers those fast).
 *   bench_latency HOST:PORT OID SECONDS */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	netsnmp_session in, *ss;
	oid name[MAX_OID_LEN];
	size_t len = MAX_OID_LEN, n = 0, cap = 1 << 22, timeouts = 0, errors = 0;
	uint64_t *lat;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_latency HOST:PORT OID SECONDS\n");
		return 2;
	}
	setenv("MIBS", "", 1);
	init_snmp("bench_latency");
	snmp_sess_init(&in);
	in.peername = argv[1];
	in.version = SNMP_VERSION_2c;
	in.community = (u_char *)"public";
	in.community_len = 6;
	in.timeout = 5000000;
	in.retries = 0;
	if (!(ss = snmp_open(&in)) || !read_objid(argv[2], name, &len) ||
	    !(lat = malloc(cap * sizeof(*lat))))
		return 1;
	uint64_t end = now_us() + (uint64_t)atoi(argv[3]) * 1000000u;
	while (now_us() < end && n < cap) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
		snmp_add_null_var(pdu, name, len);
		uint64_t t0 = now_us();
		int rc = snmp_synch_response(ss, pdu, &resp);
		uint64_t t1 = now_us();
		if (rc != STAT_SUCCESS)
			timeouts++;
		else if (resp->errstat != SNMP_ERR_NOERROR || !resp->variables ||
		         resp->variables->type == SNMP_NOSUCHOBJECT ||
		         resp->variables->type == SNMP_NOSUCHINSTANCE)
			errors++;
		else
			lat[n++] = t1 - t0;
		if (resp)
			snmp_free_pdu(resp);
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("n=%zu p50_us=%llu p99_us=%llu max_us=%llu timeouts=%zu errors=%zu\n", n,
	       n ? (unsigned long long)lat[n / 2] : 0ULL,
	       n ? (unsigned long long)lat[n * 99 / 100] : 0ULL,
	       n ? (unsigned long long)lat[n - 1] : 0ULL, timeouts, errors);
	free(lat);
	snmp_close(ss);
	snmp_shutdown("bench_latency");
	return 0;
}
