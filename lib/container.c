// SPDX-License-Identifier: GPL-2.0
/* Container set-up for the suites (see container.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "job.h"

/*
 * A request on cmd_fd.  The serving process runs it in a fresh child and
 * answers on res_fd (a stream socket) with an int: for CT_OP_CALL the
 * child's result; for CT_OP_OPEN the child itself answers 0 with the fd
 * attached (SCM_RIGHTS), and the server answers -errno only if it did not.
 * CT_OP_PRIVATE_MOUNTS is the exception: the serving process itself moves
 * to a private mount namespace (its later children inherit it) and answers
 * 0 or -errno.  CT_OP_SPAWN starts a job's keeper (job.h) and does not wait
 * for it: it answers 0 with the read end of the keeper's report pipe
 * attached, or -errno; finished keepers are reaped before the next request.
 */
enum ct_op {
	CT_OP_EXIT,
	CT_OP_CALL,
	CT_OP_OPEN,
	CT_OP_PRIVATE_MOUNTS,
	CT_OP_SPAWN,
};

struct ct_request {
	enum ct_op op;
	ct_fn fn;
	long arg;
	int flags;		/* CT_OP_OPEN */
	char path[256];		/* CT_OP_OPEN */
};

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int send_fd(int sock, int val, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	struct iovec iov = { .iov_base = &val, .iov_len = sizeof(val) };
	ssize_t n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(val) ? 0 : n < 0 ? -errno : -EIO;
}

/*
 * recvmsg(@flags) one int into *@val, retrying on EINTR, and copy the data of
 * its SOL_SOCKET control message of @type (SCM_RIGHTS: an int, or
 * SCM_CREDENTIALS) into @data, @len bytes.  Returns 1 if that control
 * message came, 0 if not, or -errno (-EPIPE for a short message).
 */
static int recv_int_cmsg(int sock, int flags, int *val, int type, void *data, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];	/* room for either */
		struct cmsghdr align;
	} c;
	struct iovec iov = { .iov_base = val, .iov_len = sizeof(*val) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.buf, .msg_controllen = sizeof(c.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	do {
		n = recvmsg(sock, &msg, flags);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*val))
		return n < 0 ? -errno : -EPIPE;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == type &&
		    cm->cmsg_len >= CMSG_LEN(len)) {
			memcpy(data, CMSG_DATA(cm), len);
			return 1;
		}
	}
	return 0;
}

int recv_fd(int sock, int *val, int *fd)
{
	int ret = recv_int_cmsg(sock, MSG_CMSG_CLOEXEC | MSG_WAITALL, val, SCM_RIGHTS, fd,
				sizeof(*fd));

	if (ret < 0)
		return ret;
	if (!ret)
		*fd = -1;
	return 0;
}

/* In the request's child: open the path and answer with the fd; else exit errno. */
static void __attribute__((noreturn)) open_and_send(const struct ct_request *req, int res_fd)
{
	int fd = open(req->path, req->flags);

	if (fd < 0)
		_exit(errno & 0xff ? errno & 0xff : EIO);
	_exit(send_fd(res_fd, 0, fd) ? EPIPE : 0);
}

/* In the serving process: a mount namespace of its own, every mount private. */
static int unshare_mounts(void)
{
	if (unshare(CLONE_NEWNS))
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	return 0;
}

/* In the serving process: start a job's keeper, answer with its report pipe. */
static int spawn_keeper(const struct ct_request *req, int res_fd)
{
	int p[2], err = 0, ret;
	pid_t keeper;

	if (pipe2(p, O_CLOEXEC))
		return send_fd(res_fd, -errno, -1);
	keeper = fork();
	if (keeper == 0) {
		close(p[0]);
		job_keeper(req->fn, req->arg, p[1]);
	}
	if (keeper < 0)
		err = -errno;
	close(p[1]);
	ret = send_fd(res_fd, err, err ? -1 : p[0]);
	close(p[0]);
	return ret;
}

/* The serving process: run each request in a fresh child, report its status. */
static void __attribute__((noreturn)) serve(int cmd_fd, int res_fd)
{
	struct ct_request req;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read_full(cmd_fd, &req, sizeof(req)) == 0 && req.op != CT_OP_EXIT) {
		int status, result;
		pid_t w;

		while (waitpid(-1, &status, WNOHANG) > 0)
			;	/* keepers of jobs that ended */
		if (req.op == CT_OP_SPAWN) {
			if (spawn_keeper(&req, res_fd))
				break;
			continue;
		}
		if (req.op == CT_OP_PRIVATE_MOUNTS) {
			result = unshare_mounts();
			if (write_full(res_fd, &result, sizeof(result)))
				break;
			continue;
		}
		w = fork();
		if (w == 0) {
			if (req.op == CT_OP_OPEN)
				open_and_send(&req, res_fd);
			_exit(req.fn(req.arg) & 0xff);
		}
		if (w < 0 || waitpid(w, &status, 0) != w)
			result = -ECHILD;
		else if (WIFEXITED(status))
			result = WEXITSTATUS(status);
		else
			result = -1000 - WTERMSIG(status);
		if (req.op == CT_OP_OPEN) {
			if (result == 0)
				continue;	/* the child answered */
			if (result > 0)
				result = -result;
		}
		if (write_full(res_fd, &result, sizeof(result)))
			break;
	}
	_exit(0);
}

int ns_enter(pid_t pid, int nstype)
{
	const char *name = nstype == CLONE_NEWNS ? "mnt" : nstype == CLONE_NEWUSER ? "user" : "pid";
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = setns(fd, nstype) ? -errno : 0;
	close(fd);
	return ret;
}

/* Write all of @text to the (proc) file @path in one write(). */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_full(fd, text, strlen(text));
	close(fd);
	return ret;
}

int userns_map_root(pid_t pid, unsigned int id)
{
	static const char *const files[] = { "setgroups", "uid_map", "gid_map" };
	char path[64], map[32];
	int ret = 0;

	snprintf(map, sizeof(map), "0 %u 1\n", id);
	for (size_t i = 0; !ret && i < sizeof(files) / sizeof(files[0]); i++) {
		if (pid)
			snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		else
			snprintf(path, sizeof(path), "/proc/self/%s", files[i]);
		ret = write_text(path, i ? map : "deny\n");
	}
	return ret;
}

int bind_node(const char *src, const char *dst)
{
	struct stat st;

	if (stat(dst, &st) && errno == ENOENT) {
		int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0)
			return -errno;
		close(fd);
	}
	return mount(src, dst, NULL, MS_BIND, NULL) ? -errno : 0;
}

struct ct_pipes {
	int cmd[2];	/* creator -> server */
	int res[2];	/* socketpair: server (or its child) -> creator, may carry fds */
	int info[2];	/* socketpair: server announces itself, or an error */
};

static void report_error(struct ct_pipes *p, int err)
{
	write_full(p->info[1], &err, sizeof(err));
	_exit(1);
}

/* First code of the serving process. */
static int server_entry(void *arg)
{
	struct ct_pipes *p = arg;
	int ok = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(p->cmd[1]);
	close(p->res[0]);
	close(p->info[0]);
	/* The creator reads our pid, translated to its namespace, from SCM_CREDENTIALS. */
	if (write_full(p->info[1], &ok, sizeof(ok)))
		_exit(1);
	close(p->info[1]);
	serve(p->cmd[0], p->res[1]);
}

static void wait_quietly(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
}

/* In a process whose active namespace is where the member is made from. */
static void __attribute__((noreturn)) make_member(enum ct_mode mode, struct ct_pipes *p)
{
	static char stack[256 * 1024] __attribute__((aligned(16)));
	pid_t child;

	if (mode == CT_CLONE) {
		child = clone(server_entry, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, p);
	} else {
		if (mode == CT_UNSHARE && unshare(CLONE_NEWPID))
			report_error(p, -errno);
		child = fork();
		if (child == 0)
			server_entry(p);
	}
	if (child < 0)
		report_error(p, -errno);
	wait_quietly(child);
	_exit(0);
}

/*
 * The helper, in the creator's namespace.  Joining: setns, then fork the
 * member.  Nesting: setns, fork a process inside the parent (setns alone
 * does not allow a new PID namespace), which makes the member.
 */
static void __attribute__((noreturn))
helper(enum ct_mode mode, const struct ct *parent, struct ct_pipes *p)
{
	pid_t inner;
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!parent)
		make_member(mode, p);
	ret = ns_enter(parent->pid, CLONE_NEWPID);
	if (ret)
		report_error(p, ret);
	if (mode == CT_JOIN)
		make_member(mode, p);
	inner = fork();
	if (inner == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		make_member(mode, p);
	}
	if (inner < 0)
		report_error(p, -errno);
	wait_quietly(inner);
	_exit(0);
}

/* Read the server's announcement; returns its pid in our namespace or -errno. */
static pid_t receive_member(int fd)
{
	struct ucred cred;
	int status = -EIO;
	int ret = recv_int_cmsg(fd, 0, &status, SCM_CREDENTIALS, &cred, sizeof(cred));

	if (ret < 0)
		return ret;
	if (status)
		return status;
	if (!ret)
		return -EPROTO;
	return cred.pid > 0 ? cred.pid : -ESRCH;
}

static void close_pair(int fds[2])
{
	close(fds[0]);
	close(fds[1]);
}

int ct_start(struct ct *ct, enum ct_mode mode, const struct ct *parent)
{
	struct ct_pipes p;
	int one = 1;
	pid_t member;

	memset(ct, 0, sizeof(*ct));
	if (mode == CT_JOIN && !parent)
		return -EINVAL;
	if (pipe2(p.cmd, O_CLOEXEC))
		return -errno;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p.res)) {
		close_pair(p.cmd);
		return -errno;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, p.info) ||
	    setsockopt(p.info[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		close_pair(p.cmd);
		close_pair(p.res);
		return -errno;
	}
	ct->helper = fork();
	if (ct->helper == 0)
		helper(mode, parent, &p);
	close(p.info[1]);
	close(p.cmd[0]);
	close(p.res[1]);
	member = ct->helper < 0 ? -errno : receive_member(p.info[0]);
	close(p.info[0]);
	ct->cmd_fd = p.cmd[1];
	ct->res_fd = p.res[0];
	if (member < 0) {
		close(ct->cmd_fd);
		close(ct->res_fd);
		if (ct->helper > 0)
			wait_quietly(ct->helper);
		ct->helper = 0;
		return member;
	}
	ct->pid = member;
	return 0;
}

/* Send @req and return the int the serving process answers (or -errno). */
static int ct_request(struct ct *ct, const struct ct_request *req)
{
	int result, ret;

	ret = write_full(ct->cmd_fd, req, sizeof(*req));
	if (!ret)
		ret = read_full(ct->res_fd, &result, sizeof(result));
	return ret ? ret : result;
}

int ct_call(struct ct *ct, ct_fn fn, long arg)
{
	struct ct_request req = { .op = CT_OP_CALL, .fn = fn, .arg = arg };

	return ct_request(ct, &req);
}

/*
 * Send @req to @ct's serving process and receive the fd it answers with:
 * the fd, or -errno (the request's own error, or -EPROTO for an answer
 * without one).
 */
static int ct_request_fd(struct ct *ct, const struct ct_request *req)
{
	int result = -EIO, fd = -1, ret;

	ret = write_full(ct->cmd_fd, req, sizeof(*req));
	if (!ret)
		ret = recv_fd(ct->res_fd, &result, &fd);
	if (!ret && result)
		ret = result < 0 ? result : -EPROTO;
	if (!ret && fd < 0)
		ret = -EPROTO;
	if (ret && fd >= 0)
		close(fd);
	return ret ? ret : fd;
}

int ct_spawn(struct ct *ct, ct_fn fn, long arg)
{
	struct ct_request req = { .op = CT_OP_SPAWN, .fn = fn, .arg = arg };

	return ct_request_fd(ct, &req);
}

int ct_open(struct ct *ct, const char *path, int flags)
{
	struct ct_request req = { .op = CT_OP_OPEN, .flags = flags };
	int fd, ret;

	if (strlen(path) >= sizeof(req.path))
		return -ENAMETOOLONG;
	strcpy(req.path, path);
	fd = ct_request_fd(ct, &req);
	if (fd >= 0 && !(flags & O_CLOEXEC) && fcntl(fd, F_SETFD, 0)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int ct_private_mounts(struct ct *ct)
{
	struct ct_request req = { .op = CT_OP_PRIVATE_MOUNTS };

	return ct_request(ct, &req);
}

void ct_stop(struct ct *ct)
{
	if (ct->helper <= 0)
		return;
	kill(ct->pid, SIGKILL);
	close(ct->cmd_fd);
	close(ct->res_fd);
	wait_quietly(ct->helper);
	ct->helper = 0;
}

void *ct_shared_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap shared memory");
		exit(1);
	}
	return p;
}

static void *shared_page;

/* Mapped before main(), so that every process the test forks shares it. */
static void __attribute__((constructor)) map_shared_page(void)
{
	shared_page = ct_shared_map(4096);
}

void *ct_shared(void)
{
	return shared_page;
}

uint64_t pidns_id(pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/pid");
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

int deadline_ms(int native_ms)
{
	const char *accel = getenv("DEVNS_ACCEL");
	const char *kernel = getenv("DEVNS_KERNEL");
	int ms = accel && !strcmp(accel, "kvm") ? native_ms : native_ms * 10;

	/* KASAN, lockdep and the other checks make the debug kernel several times slower. */
	if (kernel && !strncmp(kernel, "debug-", 6))
		ms *= 3;
	return ms;
}

long voluntary_switches(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? -1 : ru.ru_nvcsw;
}

int deadline_s(int native_s)
{
	return deadline_ms(native_s * 1000) / 1000;
}

int stress_count(int quick, int full)
{
	const char *stress = getenv("DEVNS_STRESS");
	const char *kernel = getenv("DEVNS_KERNEL");

	if (stress && !strcmp(stress, "full"))
		return full;
	/*
	 * The debug kernel is there for its checkers (KASAN, lockdep,
	 * kmemleak), which need every path once, not the statistics of many
	 * rounds: a third of the work, as its deadlines are three times longer.
	 */
	if (kernel && !strncmp(kernel, "debug-", 6))
		return quick / 3 > 0 ? quick / 3 : 1;
	return quick;
}

char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command name may hold anything */
	return p && p[1] == ' ' ? p[2] : 0;
}

static int exited(void *arg)
{
	char st = proc_state(*(pid_t *)arg);

	return !st || st == 'Z' || st == 'X';
}

int proc_wait_exited(pid_t pid, int timeout_ms)
{
	return poll_until(exited, &pid, timeout_ms);
}

int poll_until(int (*check)(void *arg), void *arg, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	for (;;) {
		int ret = check(arg);

		if (ret)
			return ret < 0 ? ret : 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		usleep(2000);
	}
}

/* The system call @pid sleeps in (/proc/@pid/syscall), -1 if none or running. */
static long proc_syscall(pid_t pid, int *err)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	*err = 0;
	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -1;	/* "running", or "-1 ..." (not in a system call) */
	return strtol(buf, NULL, 10);
}

int proc_wait_blocked(pid_t pid, long nr, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int seen = 0;

	for (;;) {
		char st = proc_state(pid);
		int err;
		long cur;

		if (!st || st == 'Z' || st == 'X')
			return -ESRCH;
		cur = proc_syscall(pid, &err);
		if (err)
			return err;
		/* Twice in a row, so a process merely passing through does not count. */
		seen = (st == 'S' || st == 'D') && cur == nr ? seen + 1 : 0;
		if (seen >= 2)
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		usleep(10 * 1000);
	}
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
