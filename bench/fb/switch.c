// SPDX-License-Identifier: GPL-2.0
/*
 * Switch latency of the virtual framebuffer (issue 6, part 1): the time of
 * one activate call between two namespaces that both have a vfb state,
 * swept over the number of namespaces and the number of processes holding
 * live (touched) mappings of each namespace's vfb; the newly active
 * namespace's first full-frame write through a mapping made before the
 * switch (the refault); and the memcpy limit (the frame copied twice).
 *
 * The limit is measured right before every measured switch, and
 * switch_over_limit keeps each switch's time over that limit: a per-sample
 * ratio of two copies made a few milliseconds apart.  Under QEMU's TCG the
 * guest's speed moves with the host's load and the other vCPU's work, which
 * single-threaded TCG runs in turn with ours, for seconds at a time; a
 * ratio of medians taken over different seconds picks that up, the paired
 * ratio cancels it (results/bench/experiments/paired-limit).
 *
 * Measures the current module load: the display size is the panel's, the
 * strategy is the module parameter vfb_switch.
 *
 * How the mappings are made: each namespace's vfb is opened inside its
 * container (ct_open), so the fd is bound to that namespace (VFB-7); M
 * forked host processes per namespace then map that fd (MAP_SHARED, the
 * whole smem_len) and write one byte per page on command, so every page
 * table entry exists before a switch.  The zap in the switch walks every
 * mapping of the state's address space whoever made it, so host-side
 * mappers cost the switch what container-side ones would.  Before each
 * measured switch A->B the mappers of A and B re-touch their mappings (A's
 * point at the panel, B's at its backing buffer); both are zapped by the
 * switch.  The refault is timed by this process through its own mapping
 * of B, made when B was set up; its page table entries are dropped again
 * afterwards (MADV_DONTNEED), so "mappers 0" means no live entries at all.
 *
 * Order: the namespace counts run one after another (a configuration with
 * N namespaces needs exactly N vfb states, which live as long as their
 * namespaces, and starting 16 containers with a frame each per sample is
 * too slow in TCG); within one namespace count the mapper counts are
 * interleaved per sample index, each switch right after its memcpy limit,
 * and the guest driver
 * interleaves display sizes and strategies across module loads.
 *
 * Memory (benchmark vfb_state_memory, KiB per namespace, one sample per
 * namespace count): the kernel's vmalloc and slab use grown by opening the
 * vfb in every container, the containers already started, divided by their
 * number: what a passive namespace's display state costs (a frame for the
 * copy strategy; a slot of the panel's memory, reserved at load, for the
 * zero-copy one).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "container.h"
#include "fb.h"
#include "impl.h"
#include "job.h"

#define MAX_LIST	16
#define MAX_NS		64
#define MAX_MAPPERS	256

static const char usage[] =
	"Usage: switch [options]\n"
	"Switch latency of the virtual framebuffer between namespaces with vfb states\n"
	"(benchmarks switch_latency, switch_refault, switch_limit, and\n"
	"switch_over_limit: each switch over the memcpy limit measured right before\n"
	"it), at the current module load (display size: the panel's; strategy:\n"
	"vfb_switch).  Runs in the guest as root with devns.ko loaded.\n"
	"  --namespaces LIST  namespace counts, comma-separated (default 2,4,8,16;\n"
	"                     --smoke: 2), each 2..64\n"
	"  --mappers LIST     processes with live mappings per namespace (default\n"
	"                     0,1,4; --smoke: 0,1), each 0..256\n"
	"  --switches N       switches per sample, the sample being their mean\n"
	"                     (default 1)\n";

enum { OPT_NAMESPACES = 256, OPT_MAPPERS, OPT_SWITCHES };

static unsigned int ns_list[MAX_LIST], nr_ns_list;
static unsigned int map_list[MAX_LIST], nr_map_list;
static unsigned int switches = 1;

static int parse_list(const char *arg, unsigned int *list, unsigned int *n,
		      unsigned int lo, unsigned int hi)
{
	const char *s = arg;
	char *end;

	*n = 0;
	while (*s) {
		unsigned long v;

		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || v < lo || v > hi || *n == MAX_LIST ||
		    (*end && *end != ','))
			return -1;
		list[(*n)++] = (unsigned int)v;
		s = *end ? end + 1 : end;
	}
	return *n ? 0 : -1;
}

static int take_opt(int val, const char *arg)
{
	unsigned long v;
	char *end;

	switch (val) {
	case OPT_NAMESPACES:
		return parse_list(arg, ns_list, &nr_ns_list, 2, MAX_NS);
	case OPT_MAPPERS:
		return parse_list(arg, map_list, &nr_map_list, 0, MAX_MAPPERS);
	case OPT_SWITCHES:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || v < 1 || v > 100000)
			return -1;
		switches = (unsigned int)v;
		return 0;
	}
	return -1;
}

/* One process (a host job) holding a mapping of a namespace's vfb. */
struct mapper {
	struct job job;
	int cmd;		/* write end of its command pipe */
	int cmd_in;		/* its read end, the job's */
	int vfb;		/* the namespace's vfb fd */
};

/* One namespace: its container, its vfb fd, this process's mapping, its mappers. */
struct nspace {
	struct ct ct;
	int fd;
	unsigned char *map;
	struct mapper m[MAX_MAPPERS];
	unsigned int nr_m;
};

static size_t smem_len;
static long page;
static int reply[2];		/* every mapper's "done" byte comes back here */

/*
 * Mapper job (@arg: its struct mapper): 'T' maps (if needed) and writes one
 * byte per page, 'U' unmaps; each answers one byte on the reply pipe.  'Q'
 * or EOF ends it.
 */
static int mapper_main(long arg)
{
	const struct mapper *m = (const struct mapper *)arg;
	unsigned char *map = NULL;
	unsigned char round = 0;
	char c;

	close(reply[0]);
	while (read(m->cmd_in, &c, 1) == 1) {
		char ok = 1;

		if (c == 'T') {
			if (!map) {
				map = fb_map(m->vfb, smem_len);
				if (!map)
					ok = 0;
			}
			round++;
			for (size_t off = 0; map && off < smem_len; off += (size_t)page)
				((volatile unsigned char *)map)[off] = round;
		} else if (c == 'U' && map) {
			munmap(map, smem_len);
			map = NULL;
		} else if (c == 'Q') {
			break;
		}
		if (write(reply[1], &ok, 1) != 1)
			break;
	}
	return 0;
}

static int mapper_start(struct nspace *ns)
{
	struct mapper *m = &ns->m[ns->nr_m];
	int p[2], ret;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	m->cmd_in = p[0];
	m->cmd = p[1];
	m->vfb = ns->fd;
	ret = job_start(&m->job, NULL, mapper_main, (long)m);
	close(p[0]);
	if (ret) {
		close(p[1]);
		return ret;
	}
	ns->nr_m++;
	return 0;
}

/* Send @c to mappers [0, @upto) of @ns; returns how many answers to await. */
static unsigned int mappers_send(struct nspace *ns, unsigned int upto, char c)
{
	unsigned int i, sent = 0;

	for (i = 0; i < upto && i < ns->nr_m; i++)
		if (write(ns->m[i].cmd, &c, 1) == 1)
			sent++;
	return sent;
}

/* Await @n answers; -EIO if a mapper failed, -ETIMEDOUT if one does not answer. */
static int mappers_wait(unsigned int n)
{
	int ret = 0;

	while (n--) {
		struct pollfd pfd = { .fd = reply[0], .events = POLLIN };
		char ok;

		if (poll(&pfd, 1, deadline_ms(60000)) != 1)
			return -ETIMEDOUT;
		if (read(reply[0], &ok, 1) != 1)
			return -EIO;
		if (!ok)
			ret = -EIO;
	}
	return ret;
}

/*
 * Give the two namespaces of the next switch @m touched mappers each, the
 * rest of their mappers unmapped.
 */
static int mappers_prepare(struct nspace *a, struct nspace *b, unsigned int m)
{
	unsigned int n = 0;

	n += mappers_send(a, m, 'T');
	n += mappers_send(b, m, 'T');
	for (unsigned int i = m; i < a->nr_m; i++)
		n += (unsigned int)(write(a->m[i].cmd, "U", 1) == 1);
	for (unsigned int i = m; i < b->nr_m; i++)
		n += (unsigned int)(write(b->m[i].cmd, "U", 1) == 1);
	return mappers_wait(n);
}

static void ns_stop(struct nspace *ns)
{
	unsigned int i;

	/* every mapper holds the others' command pipes too: tell each to quit */
	for (i = 0; i < ns->nr_m; i++) {
		if (write(ns->m[i].cmd, "Q", 1) != 1)
			job_kill(&ns->m[i].job);
		close(ns->m[i].cmd);
	}
	for (i = 0; i < ns->nr_m; i++)
		job_join(&ns->m[i].job, deadline_ms(10000));
	ns->nr_m = 0;
	if (ns->map)
		munmap(ns->map, smem_len);
	ns->map = NULL;
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
	ct_stop(&ns->ct);
}

static bool vfb_reported;

/* A container; its vfb state, its mappers and this process's mapping come later. */
static int ns_start(struct nspace *ns)
{
	memset(ns, 0, sizeof(*ns));
	ns->fd = -1;
	return ct_start(&ns->ct, CT_CLONE, NULL);
}

/* The vfb state of @ns's namespace: its first open there. */
static int ns_open_vfb(struct nspace *ns)
{
	const char *vfb = impl()->device("vfb");

	ns->fd = vfb ? ct_open(&ns->ct, vfb, O_RDWR) : -ENOENT;
	if (!vfb_reported) {
		vfb_reported = true;
		bench_device("vfb", vfb, ns->fd >= 0, "%s (opened in a container)",
			     ns->fd >= 0 ? "ok" : strerror(-ns->fd));
	}
	return ns->fd < 0 ? ns->fd : 0;
}

/*
 * The mappers of every namespace first, then this process's mappings: a
 * fork copies a vfb mapping (and its page table entries: VM_MIXEDMAP), and
 * a stray copy would add to every later zap.
 */
static int ns_map_all(struct nspace *ns, unsigned int nr_ns, unsigned int mappers)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_ns; i++)
		while (ns[i].nr_m < mappers) {
			ret = mapper_start(&ns[i]);
			if (ret)
				return ret;
		}
	for (i = 0; i < nr_ns; i++) {
		ns[i].map = fb_map(ns[i].fd, smem_len);
		if (!ns[i].map)
			return -errno;
	}
	return 0;
}

/* The memcpy limit: the frame copied twice between pre-faulted buffers. */
static double memcpy2x_us(unsigned char *buf[3])
{
	uint64_t t0 = bench_now_ns();

	memcpy(buf[1], buf[0], smem_len);	/* save the old picture */
	memcpy(buf[0], buf[2], smem_len);	/* restore the new one */
	return (double)(bench_now_ns() - t0) / 1000.0;
}

struct run {
	int ctl;
	const char *strategy;
	unsigned int width, height;
	struct nspace *ns;
	unsigned int nr_ns;
	unsigned int cur;	/* index of the active namespace */
};

/*
 * After the refault, drop this process's page table entries of @ns (the
 * mapping stays): live entries at the next switches are the mappers' only.
 */
static int drop_ptes(struct nspace *ns)
{
	if (!madvise(ns->map, smem_len, MADV_DONTNEED))
		return 0;
	munmap(ns->map, smem_len);
	ns->map = fb_map(ns->fd, smem_len);
	if (!ns->map) {
		bench_progress("mmap: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

#define SAMPLE_PARAMS "\"width\":%u,\"height\":%u,\"namespaces\":%u,\"mappers\":%u"

/*
 * One sample of the configuration with @m mappers: @switches switches A->B,
 * each right after the memcpy limit (the copies of @buf).
 */
static int sample(struct run *r, unsigned int m, unsigned char *buf[3],
		  double *sw_us, double *rf_us, double *lim_us)
{
	struct bench_point *lat, *ref, *pair, *lim;
	double sw = 0, rf = 0, li = 0;
	unsigned int k;
	int ret;

	lat = bench_point("switch_latency", r->strategy, "us", BENCH_LOWER, SAMPLE_PARAMS,
			  r->width, r->height, r->nr_ns, m);
	ref = bench_point("switch_refault", r->strategy, "us", BENCH_LOWER, SAMPLE_PARAMS,
			  r->width, r->height, r->nr_ns, m);
	pair = bench_point("switch_over_limit", r->strategy, "x", BENCH_LOWER, SAMPLE_PARAMS,
			   r->width, r->height, r->nr_ns, m);
	lim = bench_point("switch_limit", "memcpy2x", "us", BENCH_LOWER,
			  "\"width\":%u,\"height\":%u", r->width, r->height);
	for (k = 0; k < switches; k++) {
		unsigned int next = (r->cur + 1) % r->nr_ns;
		struct nspace *b = &r->ns[next];
		struct bench_counters c;
		uint64_t t0, t1;

		ret = mappers_prepare(&r->ns[r->cur], b, m);
		if (ret) {
			bench_progress("mappers failed: %s", strerror(-ret));
			return ret;
		}
		li += memcpy2x_us(buf);
		bench_counters_start(&c);
		t0 = bench_now_ns();
		ret = impl()->activate(r->ctl, b->ct.pid, 0);
		t1 = bench_now_ns();
		bench_counters_stop(&c, lat, 1);
		if (ret) {
			bench_progress("activate: %s", strerror(-ret));
			return ret;
		}
		r->cur = next;
		sw += (double)(t1 - t0) / 1000.0;

		bench_counters_start(&c);
		t0 = bench_now_ns();
		memset(b->map, (int)(k + 1), smem_len);
		t1 = bench_now_ns();
		bench_counters_stop(&c, ref, 1);
		rf += (double)(t1 - t0) / 1000.0;
		ret = drop_ptes(b);
		if (ret)
			return ret;
	}
	*sw_us = sw / switches;
	*rf_us = rf / switches;
	*lim_us = li / switches;
	bench_add(lat, *sw_us);
	bench_add(ref, *rf_us);
	bench_add(lim, *lim_us);
	bench_add(pair, sw / li);
	return 0;
}

/*
 * Kernel memory that a vfb state takes, in KiB: vmalloc'd (the copy
 * strategy's buffer) and slab (the state, its inode); -1 if /proc/meminfo
 * cannot tell.  Read before and after the states of every container are
 * made, the containers already running.
 */
static long kernel_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long v, sum = 0;
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmallocUsed: %ld kB", &v) == 1 ||
		    sscanf(line, "Slab: %ld kB", &v) == 1) {
			sum += v;
			found++;
		}
	}
	fclose(f);
	return found == 2 ? sum : -1;
}

/*
 * Every mapper keeps a command pipe open here: 256 mappers in each of two
 * namespaces need more descriptors than the usual soft limit of 1024.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			bench_progress("cannot raise the open file limit: %s", strerror(errno));
	}
}

/* Everything for one namespace count. */
static int run_count(struct run *r, const struct bench_opts *o, unsigned char *buf[3])
{
	unsigned int maxm = 0, i, j, total = o->warmup + o->samples;
	bool skipped = false;
	long kib;
	int ret = 0;

	for (i = 0; i < nr_map_list; i++)
		if (map_list[i] > maxm)
			maxm = map_list[i];
	r->ns = calloc(r->nr_ns, sizeof(*r->ns));
	if (!r->ns)
		return -ENOMEM;
	bench_progress("%u namespaces: starting containers (%u mappers each)", r->nr_ns, maxm);
	for (i = 0; i < r->nr_ns; i++)
		r->ns[i].fd = -1;
	for (i = 0; i < r->nr_ns && !ret; i++) {
		ret = ns_start(&r->ns[i]);
		if (ret)
			bench_progress("container %u: %s", i, strerror(-ret));
	}
	kib = kernel_kib();
	for (i = 0; i < r->nr_ns && !ret; i++) {
		ret = ns_open_vfb(&r->ns[i]);
		if (ret == -ENOSPC) {
			/* zerocopy: no free region of the panel's memory for one more state */
			bench_progress("skipping %u namespaces: only %u vfb states fit (vfb_slots %s)",
				       r->nr_ns, i, bench_module_param("vfb_slots", "?"));
			skipped = true;
		} else if (ret) {
			bench_progress("namespace %u: %s", i, strerror(-ret));
		}
	}
	if (!ret && kib >= 0) {
		struct bench_point *mem = bench_point("vfb_state_memory", r->strategy, "KiB",
						      BENCH_LOWER, "\"width\":%u,\"height\":%u,\"namespaces\":%u",
						      r->width, r->height, r->nr_ns);

		bench_add_state(mem, (double)(kernel_kib() - kib) / r->nr_ns);
	}
	if (!ret) {
		ret = ns_map_all(r->ns, r->nr_ns, maxm);
		if (ret)
			bench_progress("mappings: %s", strerror(-ret));
	}
	if (!ret) {
		/* the first activation (from the host, which has no vfb state) is not measured */
		r->cur = 0;
		ret = impl()->activate(r->ctl, r->ns[0].ct.pid, 0);
		if (ret)
			bench_progress("activate: %s", strerror(-ret));
	}
	for (j = 0; j < total && !ret; j++) {
		for (i = 0; i < nr_map_list && !ret; i++) {
			double sw, rf, lim_us;

			ret = sample(r, map_list[i], buf, &sw, &rf, &lim_us);
			if (!ret)
				bench_progress("%ux%u %s ns=%u mappers=%u sample %u/%u%s: switch %.0f us, refault %.0f us, memcpy2x %.0f us",
					       r->width, r->height, r->strategy, r->nr_ns,
					       map_list[i], j + 1, total,
					       j < o->warmup ? " (warm-up)" : "", sw, rf, lim_us);
		}
	}
	/* back to the host before the containers go */
	i = (unsigned int)-impl()->activate(r->ctl, getpid(), 0);
	if (i)
		bench_progress("activate host: %s", strerror((int)i));
	for (i = 0; i < r->nr_ns; i++)
		ns_stop(&r->ns[i]);
	free(r->ns);
	r->ns = NULL;
	return skipped ? 0 : ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "namespaces", required_argument, NULL, OPT_NAMESPACES },
		{ "mappers", required_argument, NULL, OPT_MAPPERS },
		{ "switches", required_argument, NULL, OPT_SWITCHES },
		{ NULL, 0, NULL, 0 },
	};
	struct fb_info_pair panel;
	struct bench_opts o;
	unsigned char *buf[3];
	struct run r = { 0 };
	const char *vfb = impl()->device("vfb"), *panel_path;
	int pfd, ret = 0;
	unsigned int i;

	bench_parse(argc, argv, &o, usage, opts, take_opt);
	if (!nr_ns_list)
		parse_list(o.smoke ? "2" : "2,4,8,16", ns_list, &nr_ns_list, 2, MAX_NS);
	if (!nr_map_list)
		parse_list(o.smoke ? "0,1" : "0,1,4", map_list, &nr_map_list, 0, MAX_MAPPERS);
	page = sysconf(_SC_PAGESIZE);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();

	pfd = fb_open(FB_PANEL);
	panel_path = fb_path(FB_PANEL);
	if (pfd < 0 || fb_get(pfd, &panel)) {
		bench_device("panel", panel_path, false, "open/FBIOGET: %s",
			     strerror(pfd < 0 ? -pfd : errno));
		bench_device("vfb", vfb, false, "not tried: no panel");
		bench_finish();
		return 1;
	}
	close(pfd);
	smem_len = panel.fix.smem_len;
	r.width = panel.var.xres;
	r.height = panel.var.yres;
	r.strategy = bench_module_param("vfb_switch", "copy");
	bench_device("panel", panel_path, true, "%s %ux%u-%u smem_len %zu", panel.fix.id,
		     r.width, r.height, panel.var.bits_per_pixel, smem_len);

	r.ctl = impl()->open_ctl();
	if (r.ctl < 0) {
		bench_device("vfb", vfb, false, "control device: %s", strerror(-r.ctl));
		bench_finish();
		return 1;
	}
	bench_progress("strategy %s, panel %ux%u, smem_len %zu", r.strategy, r.width,
		       r.height, smem_len);

	/* buf[1] and buf[2] are copied to and from buf[0]: apart from it for TCG's TLB */
	for (i = 0; i < 3; i++) {
		buf[i] = bench_map_apart(i ? buf[0] : NULL, smem_len);
		if (!buf[i]) {
			perror("mmap");
			return 1;
		}
		memset(buf[i], 0x11 * (int)(i + 1), smem_len);
		madvise(buf[i], smem_len, MADV_DONTFORK);	/* not into the mappers */
	}
	if (pipe2(reply, O_CLOEXEC)) {
		perror("pipe");
		return 1;
	}

	for (i = 0; i < nr_ns_list && !ret; i++) {
		r.nr_ns = ns_list[i];
		ret = run_count(&r, &o, buf);
	}
	if (!vfb_reported)
		bench_device("vfb", vfb, false, "not tried");
	close(r.ctl);
	if (bench_finish())
		return 1;
	return ret ? 1 : 0;
}
