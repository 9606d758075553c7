// SPDX-License-Identifier: GPL-2.0
/*
 * SEC-3: a seeded, bounded fuzzer of the devices.
 *
 * Several containers each run a worker, user nobody without capabilities,
 * that makes a random sequence of calls from the operation catalog
 * (lib/ops.h) on its own /dev/devns, /dev/vfb0 (one mapping of it kept and
 * used across calls) and terminal, good and hostile arguments alike, while
 * the host switches the active namespace among the host and the containers.
 * Every result must be one the catalog documents for the call and the
 * worker's model of its own state (var, cmap, file position, contents: so a
 * read that shows another namespace's pixels is a failure too).  Afterwards
 * every live-object counter is back to its value before the containers;
 * the runner fails the program if the kernel gained a warning or an oops.
 *
 * Each worker's sequence comes from the seed and its number alone (the
 * calls' arguments never depend on timing), and so does the host's
 * sequence of switch targets (not their timing: the switches pace
 * themselves with random pauses).  A run checks that each worker ran
 * exactly the sequence a dry run of the seed generates, and the KTAP output
 * says how to replay it: --seed, --ops and --containers, or DEVNS_FUZZ_SEED,
 * DEVNS_FUZZ_OPS and DEVNS_FUZZ_CONTAINERS in the environment (ci/vm and
 * ci/check pass DEVNS_* variables into the guest).  Default: a few fixed
 * seeds whose sequences together make every (operation, argument kind) pair
 * of the container devices at least once (checked by a test).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devns_test.h"
#include "holders.h"
#include "ops.h"
#include "vfb_world.h"
#include "vtty.h"

#define MAX_WORKERS	6
#define NOBODY		65534u
#define DEFAULT_OPS	500	/* calls per worker (a third on a debug kernel) */
#define COVER_OPS	250	/* ... never fewer: the default seeds cover every pair from 230 */
#define FULL_OPS	2000	/* ... with DEVNS_STRESS=full */
#define DEFAULT_CTS	3
#define SWITCH_STREAM	0x5317c4ull	/* the host's PRNG stream */

static const uint64_t default_seeds[] = { 0x5ec3a1, 0x5ec3a2, 0x5ec3a3 };

/*
 * The options, read from the environment on first use: the per-test timeout
 * needs them when the harness registers the test, before main() (which turns
 * command-line options into the environment).  Inherited by the tests'
 * processes.
 */
static struct {
	uint64_t seed;
	bool seed_given;
	unsigned int ops;
	unsigned int containers;
	bool loaded;
	const char *bad;	/* the variable whose value is not valid */
} opt = { .containers = DEFAULT_CTS };

static const char *const option_names[] = { "seed", "ops", "containers" };
static const char *const option_envs[] = { "DEVNS_FUZZ_SEED", "DEVNS_FUZZ_OPS",
					   "DEVNS_FUZZ_CONTAINERS" };
static void load_options(void);
static unsigned int fuzz_timeout(void);

/* A worker's state, posted as it goes. */
struct fz_worker {
	uint32_t ready;		/* set up, waiting for go */
	uint32_t done;		/* its sequence ended (all of it, or at a failure) */
	int step, err;		/* set-up step that failed (0: none) */
	uint32_t index;		/* the call it is making */
	uint32_t ran;		/* calls that gave a documented result */
	bool failed;		/* call[index] gave an undocumented result */
	uint64_t hash;		/* of the descriptions of the calls run */
	struct ops_call call;	/* the call it is making (or that failed) */
};

struct fz_shared {
	uint64_t seed;
	unsigned int ops, workers;
	size_t smem;
	struct fb_mode_size modes[8];
	int nmodes;
	char panel_path[32];
	char tty_node[MAX_WORKERS][32];	/* each container's terminal 0 */
	uint32_t go;
	struct fz_worker w[MAX_WORKERS];
};

static struct fz_shared *sh;

static void __attribute__((constructor)) map_shared(void)
{
	sh = ct_shared_map(sizeof(*sh));
}

/* Which device a worker's next call is on: the vfb 6 times in 10. */
static int pick_dev(struct ops_rng *r)
{
	uint64_t k = ops_below(r, 10);

	return k < 6 ? OPS_VFB : k < 8 ? OPS_TTY : OPS_CTL;
}

/* Worker @i's environment, real (fds opened by the caller) or for a dry run. */
static int worker_env(struct ops_env *e, int i, bool dry)
{
	unsigned int flags = OPS_ENV_KEEP_MAP | (dry ? OPS_ENV_DRY : OPS_ENV_SHADOW);
	int ret = ops_env_init(e, sh->smem, sh->modes, sh->nmodes, flags);

	if (ret)
		return ret;
	snprintf(e->other_tty, sizeof(e->other_tty), "%s",
		 sh->tty_node[(i + 1) % (int)sh->workers]);
	snprintf(e->panel_path, sizeof(e->panel_path), "%s", sh->panel_path);
	if (dry) {
		struct fb_var_screeninfo *v = &e->fb[0].var;

		/* a new vfb state: the default mode, offsets 0 (SPEC VFB-1) */
		e->fd[OPS_CTL] = e->fd[OPS_VFB] = e->fd[OPS_TTY] = INT_MAX;
		v->xres = v->xres_virtual = sh->modes[0].xres;
		v->yres = v->yres_virtual = sh->modes[0].yres;
		v->bits_per_pixel = 32;
	}
	return 0;
}

/* The descriptions' hash of worker @i's sequence, and the pairs it makes. */
static uint64_t dry_run(int i, uint8_t seen[OPS_NDEV][OPS_NOPS][OPS_NVARS])
{
	struct ops_env e;
	struct ops_rng r;
	struct ops_call c;
	uint64_t h = 0;

	if (worker_env(&e, i, true))
		return 0;
	ops_rng_init(&r, sh->seed, (uint64_t)i + 1);
	for (unsigned int k = 0; k < sh->ops; k++) {
		ops_pick(&e, &r, pick_dev(&r), &c);
		c.got = ops_nominal(&c);
		ops_apply(&e, &c);
		h = ops_hash_desc(h, &c);
		if (seen)
			seen[c.dev][c.op][c.var] = 1;
	}
	ops_env_free(&e);
	return h;
}

static int worker_failed(struct fz_worker *w, int step, int err)
{
	w->step = step;
	w->err = err;
	flag_post(&w->done, 1);
	flag_post(&w->ready, 1);
	return 0;
}

/* In container @i: open its terminal as root, become nobody, run the sequence. */
static int worker(long i)
{
	struct fz_worker *w = &sh->w[i];
	uint64_t self = pidns_id(0);
	struct ops_env e;
	struct ops_rng r;
	struct ops_call c;
	int tty, ret;

	tty = open("/dev/tty2", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (tty < 0)
		return worker_failed(w, 1, errno);
	ret = ops_become(NOBODY);
	if (ret)
		return worker_failed(w, 2, -ret);
	ret = worker_env(&e, (int)i, false);
	if (ret)
		return worker_failed(w, 3, -ret);
	e.self_id = self;
	e.fd[OPS_TTY] = tty;
	e.fd[OPS_CTL] = open(impl()->device("ctl"), O_RDWR | O_CLOEXEC);
	e.fd[OPS_VFB] = open(impl()->device("vfb"), O_RDWR | O_CLOEXEC);
	if (e.fd[OPS_CTL] < 0 || e.fd[OPS_VFB] < 0)
		return worker_failed(w, 4, errno);
	ret = ops_env_sync(&e);
	if (ret)
		return worker_failed(w, 5, -ret);
	ops_rng_init(&r, sh->seed, (uint64_t)i + 1);
	flag_post(&w->ready, 1);
	if (flag_wait(&sh->go, 1, deadline_ms(10000)))
		return worker_failed(w, 6, ETIMEDOUT);
	for (unsigned int k = 0; k < sh->ops; k++) {
		ops_pick(&e, &r, pick_dev(&r), &c);
		w->index = k;
		w->call = c;		/* what it was doing, should it die */
		ops_run(&e, &c);
		if (!ops_check(&c)) {
			w->call = c;
			w->failed = true;
			break;
		}
		ops_apply(&e, &c);
		w->hash = ops_hash_desc(w->hash, &c);
		w->ran = k + 1;
	}
	ops_env_free(&e);
	flag_post(&w->done, 1);
	return 0;
}

/* ---- the host side ------------------------------------------------------------- */

FIXTURE(fz) {
	int ctl;
	struct ct ct[MAX_WORKERS];
	struct job job[MAX_WORKERS];
	int nct;
};

FIXTURE_SETUP(fz)
{
	self->nct = 0;
	for (int i = 0; i < MAX_WORKERS; i++) {
		self->job[i].pid = 0;
		self->job[i].fd = -1;
	}
	self->ctl = impl()->open_ctl();
	ASSERT_LE(0, self->ctl) TH_LOG("open control: %s", strerror(-self->ctl));
}

static void stop_all(FIXTURE_DATA(fz) *self)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		job_kill(&self->job[i]);
	if (self->ctl >= 0)
		impl()->activate(self->ctl, getpid(), 0);
	for (int i = 0; i < self->nct; i++)
		ct_stop(&self->ct[i]);
	self->nct = 0;
}

FIXTURE_TEARDOWN(fz)
{
	stop_all(self);
	if (self->ctl >= 0)
		close(self->ctl);
}

/* The device facts every worker's model starts from. */
static void load_geometry(struct __test_metadata *_metadata)
{
	long smem = vw_smem_len();

	ASSERT_LT(0, smem) TH_LOG("vfb smem_len: %s", strerror((int)-smem));
	sh->smem = (size_t)smem;
	sh->nmodes = fb_panel_modes(sh->modes, 8);
	ASSERT_LT(0, sh->nmodes);
	snprintf(sh->panel_path, sizeof(sh->panel_path), "%s", impl()->device("panel"));
}

static void print_replay(struct __test_metadata *_metadata, uint64_t seed)
{
	const char *kernel = getenv("DEVNS_KERNEL");
	char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	/* the suites' build directory: this program is <dir>/fuzz/fuzz */
	dir[n > 0 ? n : 0] = '\0';
	for (int up = 0; up < 2 && (slash = strrchr(dir, '/')); up++)
		*slash = '\0';
	TH_LOG("fuzz: seed %#" PRIx64 ", %u calls per worker, %u containers", seed, opt.ops,
	       opt.containers);
	TH_LOG("fuzz: replay: cd %s && fuzz/fuzz --seed %#" PRIx64 " --ops %u --containers %u"
	       " (in a guest with the module); from the host: DEVNS_FUZZ_SEED=%#" PRIx64
	       " DEVNS_FUZZ_OPS=%u DEVNS_FUZZ_CONTAINERS=%u ci/check --kernels %s --suites fuzz",
	       dir[0] ? dir : ".", seed, opt.ops, opt.containers, seed, opt.ops, opt.containers,
	       kernel ? kernel : "<kernel>");
}

/* How a worker ended: one line; false if it did not run its whole sequence right. */
static bool worker_verdict(struct __test_metadata *_metadata, int i, int joined,
			   uint64_t want_hash)
{
	struct fz_worker *w = &sh->w[i];
	char got[32], want[64];

	if (joined == -ETIMEDOUT || !w->done) {
		TH_LOG("fuzz: seed %#" PRIx64 " worker %d stuck at call %u: %s", sh->seed, i,
		       w->index, w->call.desc);
		return false;
	}
	if (joined <= -1000) {
		TH_LOG("fuzz: seed %#" PRIx64 " worker %d killed by signal %d at call %u: %s",
		       sh->seed, i, -1000 - joined, w->index, w->call.desc);
		return false;
	}
	if (joined || w->step) {
		TH_LOG("fuzz: worker %d set-up step %d failed: %s (call %d)", i, w->step,
		       strerror(w->err), joined);
		return false;
	}
	if (w->failed) {
		TH_LOG("fuzz: seed %#" PRIx64 " worker %d call %u: %s: got %s, documented %s%s%s",
		       sh->seed, i, w->index, w->call.desc,
		       ops_result_str(w->call.got, got, sizeof(got)),
		       ops_expect_str(&w->call.want, want, sizeof(want)),
		       w->call.bad[0] ? "; " : "", w->call.bad);
		return false;
	}
	if (w->ran != sh->ops || w->hash != want_hash) {
		TH_LOG("fuzz: seed %#" PRIx64 " worker %d ran %u calls, hash %#" PRIx64
		       ", the seed's sequence is %u calls, hash %#" PRIx64, sh->seed, i, w->ran,
		       w->hash, sh->ops, want_hash);
		return false;
	}
	return true;
}

/* One seed: containers, workers, the host switching until they are done, the counters. */
static void fuzz_round(struct __test_metadata *_metadata, FIXTURE_DATA(fz) *self, uint64_t seed)
{
	uint64_t want_hash[MAX_WORKERS];
	struct hold_counts base, now;
	struct impl_vtty_devs devs;
	struct ops_rng sw;
	unsigned int switches = 0, n = opt.containers, done;
	int64_t end;
	bool ok = true;
	char a[96], b[96];
	int joined;

	print_replay(_metadata, seed);
	sh->seed = seed;
	sh->ops = opt.ops;
	sh->workers = n;
	sh->go = 0;
	memset(sh->w, 0, sizeof(sh->w));
	ASSERT_EQ(0, hold_baseline(&base, true, deadline_ms(3000)));
	for (unsigned int i = 0; i < n; i++) {
		ASSERT_EQ(0, ct_start(&self->ct[i], CT_CLONE, NULL));
		self->nct++;
		ASSERT_EQ(0, vtty_setup(&self->ct[i], &devs));
		vtty_node(&devs, 0, sh->tty_node[i], sizeof(sh->tty_node[i]));
	}
	for (unsigned int i = 0; i < n; i++)
		want_hash[i] = dry_run((int)i, NULL);
	for (unsigned int i = 0; i < n; i++)
		ASSERT_EQ(0, job_start(&self->job[i], &self->ct[i], worker, (long)i));
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(0, flag_wait(&sh->w[i].ready, 1, deadline_ms(5000)))
			TH_LOG("worker %u not ready: step %d %s", i, sh->w[i].step,
			       strerror(sh->w[i].err));
	}

	/* go; the host switches (targets from the seed) until every worker is done */
	ops_rng_init(&sw, seed, SWITCH_STREAM);
	flag_post(&sh->go, 1);
	end = now_ms() + deadline_ms(60000);
	do {
		uint64_t t = ops_below(&sw, n + 1);
		pid_t pid = t ? self->ct[t - 1].pid : getpid();
		struct timespec pause = { 0, (long)ops_below(&sw, 2000) * 1000 };
		int ret = impl()->activate(self->ctl, pid, 0);

		EXPECT_EQ(0, ret) TH_LOG("switch %u to %s: %s", switches,
					 t ? "a container" : "the host", strerror(-ret));
		switches++;
		nanosleep(&pause, NULL);	/* pacing, not synchronisation */
		done = 0;
		for (unsigned int i = 0; i < n; i++)
			done += sh->w[i].done;
	} while (done < n && now_ms() < end);
	ASSERT_EQ(0, impl()->activate(self->ctl, getpid(), 0));

	for (unsigned int i = 0; i < n; i++) {
		joined = job_join(&self->job[i], deadline_ms(5000));
		ok &= worker_verdict(_metadata, (int)i, joined, want_hash[i]);
	}
	TH_LOG("fuzz: seed %#" PRIx64 ": %u workers x %u calls, %u switches", seed, n, opt.ops,
	       switches);
	EXPECT_TRUE(ok) TH_LOG("fuzz: seed %#" PRIx64 ": see the worker lines above", seed);

	stop_all(self);
	EXPECT_EQ(0, hold_wait_counts(&base, deadline_ms(3000), &now))
		TH_LOG("counters %s, before the containers %s", hold_counts_str(&now, a, sizeof(a)),
		       hold_counts_str(&base, b, sizeof(b)));
}

/* The seeds this run uses: --seed (or DEVNS_FUZZ_SEED), else the fixed ones. */
static int seeds(const uint64_t **list)
{
	*list = opt.seed_given ? &opt.seed : default_seeds;
	return opt.seed_given ? 1 : (int)(sizeof(default_seeds) / sizeof(default_seeds[0]));
}

/* Placeholders for the terminal nodes of a dry run without containers. */
static void dry_geometry(unsigned int n)
{
	sh->ops = opt.ops;
	sh->workers = n;
	for (unsigned int i = 0; i < n; i++)
		snprintf(sh->tty_node[i], sizeof(sh->tty_node[i]), "/dev/vtty%u", 12 * (i + 1));
}

TEST_F(fz, same_seed_same_sequences)
{
	static uint8_t seen[OPS_NDEV][OPS_NOPS][OPS_NVARS];
	const uint64_t *list;
	int nseeds = seeds(&list), missing = 0;
	struct ops_env e;
	uint64_t h1, h2;

	REQ("SEC-3");
	REQUIRE_CAP(IMPL_CAP_VFB);
	load_geometry(_metadata);
	dry_geometry(opt.containers);
	memset(seen, 0, sizeof(seen));
	for (int s = 0; s < nseeds; s++) {
		for (unsigned int i = 0; i < opt.containers; i++) {
			sh->seed = list[s];
			h1 = dry_run((int)i, seen);
			h2 = dry_run((int)i, NULL);
			EXPECT_EQ(h1, h2) TH_LOG("seed %#" PRIx64 " worker %u: two sequences",
						 list[s], i);
			sh->seed = list[s] + 1;
			EXPECT_NE(h1, dry_run((int)i, NULL))
				TH_LOG("seeds %#" PRIx64 " and the next make the same sequence",
				       list[s]);
			if (i) {
				sh->seed = list[s];
				EXPECT_NE(h1, dry_run(0, NULL)) TH_LOG("workers 0 and %u", i);
			}
		}
	}
	if (opt.seed_given)
		return;
	/* the default seeds make every pair of the container devices at least once */
	ASSERT_EQ(0, worker_env(&e, 0, true));
	e.map = e.buf;
	e.map_len = 4096;
	for (int d = 0; d < OPS_NDEV; d++) {
		for (int op = 0; op < OPS_NOPS; op++) {
			for (int v = 0; v < OPS_NVARS; v++) {
				if (!ops_has(&e, d, op, v) || seen[d][op][v])
					continue;
				if (missing++ < 20)
					TH_LOG("no call of %s %s %s in the default seeds",
					       ops_dev_name(d), ops_op_name(op), ops_var_name(v));
			}
		}
	}
	ops_env_free(&e);
	EXPECT_EQ(0, missing);
}

TEST_F_TIMEOUT(fz, seeded_calls_from_containers_while_host_switches, fuzz_timeout())
{
	const uint64_t *list;
	int nseeds = seeds(&list);

	REQ("SEC-3");
	REQUIRE_CAP(IMPL_CAP_UAPI | IMPL_CAP_VFB | IMPL_CAP_VTTY | IMPL_CAP_COUNTERS);
	load_geometry(_metadata);
	for (int s = 0; s < nseeds; s++)
		fuzz_round(_metadata, self, list[s]);
}

/* ---- options ------------------------------------------------------------------------ */

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--seed N] [--ops N] [--containers N] [harness options]\n"
		"\n"
		"SEC-3 fuzzer: in each of N containers a worker (user nobody) makes a random\n"
		"sequence of calls on /dev/devns, /dev/vfb0 and its terminal while the host\n"
		"switches; every result must be a documented one.\n"
		"\n"
		"  --seed N        run this seed only (decimal or 0x hex); default: the fixed\n"
		"                  seeds %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 "\n"
		"  --ops N         calls per worker (default %d, on a debug-* kernel %d;\n"
		"                  %d with DEVNS_STRESS=full)\n"
		"  --containers N  containers, one worker each (1..%d, default %d)\n"
		"  --help          this text\n"
		"\n"
		"Environment (used when the option is not given): DEVNS_FUZZ_SEED,\n"
		"DEVNS_FUZZ_OPS, DEVNS_FUZZ_CONTAINERS.  The other arguments go to the\n"
		"kselftest harness (-h lists them, -t NAME runs one test).\n",
		prog, default_seeds[0], default_seeds[1], default_seeds[2], DEFAULT_OPS,
		COVER_OPS, FULL_OPS, MAX_WORKERS, DEFAULT_CTS);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* Apply option @name = @val; false if the value is not valid. */
static bool set_option(const char *name, const char *val)
{
	uint64_t v;

	if (!parse_u64(val, &v))
		return false;
	if (!strcmp(name, "seed")) {
		opt.seed = v;
		opt.seed_given = true;
	} else if (!strcmp(name, "ops")) {
		if (!v || v > 1000000)
			return false;
		opt.ops = (unsigned int)v;
	} else {
		if (!v || v > MAX_WORKERS)
			return false;
		opt.containers = (unsigned int)v;
	}
	return true;
}

static void load_options(void)
{
	if (opt.loaded)
		return;
	opt.loaded = true;
	opt.ops = (unsigned int)stress_count(DEFAULT_OPS, FULL_OPS);
	if (opt.ops < COVER_OPS)
		opt.ops = COVER_OPS;
	for (int k = 0; k < 3; k++) {
		const char *v = getenv(option_envs[k]);

		if (v && *v && !set_option(option_names[k], v) && !opt.bad)
			opt.bad = option_envs[k];
	}
}

/* The fuzz test's time limit: generous per call, scaled for the emulator. */
static unsigned int fuzz_timeout(void)
{
	const uint64_t *list;
	uint64_t calls;

	load_options();
	calls = (uint64_t)seeds(&list) * opt.ops * opt.containers;
	return deadline_s(30 + (int)(calls / 200));
}

/* "--name value" or "--name=value" at argv[*i]: the option's index, or -1. */
static int option_at(int argc, char **argv, int *i, const char **val)
{
	const char *a = argv[*i];

	for (int k = 0; k < 3; k++) {
		size_t len = strlen(option_names[k]);

		if (strncmp(a, "--", 2) || strncmp(a + 2, option_names[k], len))
			continue;
		if (a[2 + len] == '=') {
			*val = a + 3 + len;
			return k;
		}
		if (!a[2 + len]) {
			*val = *i + 1 < argc ? argv[++*i] : NULL;
			return k;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	bool given = false;
	int n = 0;

	if (!rest)
		return KSFT_FAIL;
	rest[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		int k;

		if (!strcmp(argv[i], "--help")) {
			usage(stdout, argv[0]);
			return 0;
		}
		k = option_at(argc, argv, &i, &val);
		if (k < 0) {
			rest[n++] = argv[i];
			continue;
		}
		if (!set_option(option_names[k], val)) {
			fprintf(stderr, "%s: bad --%s %s\n", argv[0], option_names[k], val ? val : "");
			usage(stderr, argv[0]);
			return 2;
		}
		setenv(option_envs[k], val, 1);
		given = true;
	}
	rest[n] = NULL;
	/* Once more with the options in the environment, where the tests read them. */
	if (given) {
		execv("/proc/self/exe", rest);
		fprintf(stderr, "%s: exec /proc/self/exe: %s\n", argv[0], strerror(errno));
		return 2;
	}
	load_options();
	if (opt.bad) {
		fprintf(stderr, "%s: bad %s=%s\n", argv[0], opt.bad, getenv(opt.bad));
		return 2;
	}
	return test_harness_run(n, rest);
}
