# shellcheck shell=bash
# ci/vmlib/accel.sh: choosing the QEMU accelerator (sourced by ci/vm).
# KVM is used only when the CPU advertises vmx/svm, /dev/kvm is usable and a
# short probe boot under KVM finishes; the probe's verdict is cached, since a
# /dev/kvm that exists without hardware support makes a guest hang.

# accel_probe_kvm IMAGE CACHE: boot IMAGE under KVM without a root file system;
# a working KVM panics quickly ("VFS: Unable to mount root") and exits.
accel_probe_kvm() {
	local image=$1 cache=$2 log rc=0
	log=$(mktemp "${TMPDIR:-/tmp}/devns-kvm-probe.XXXXXX")
	echo "ci/vm: probing KVM (up to 60 s, cached in $cache)" >&2
	# In a subshell, so that an abort of QEMU is not reported by this shell.
	(timeout -k 5 60 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults \
		-display none -no-reboot -kernel "$image" \
		-append "console=ttyS0 panic=-1" -serial "file:$log") </dev/null >/dev/null 2>&1 || rc=$?
	if ((rc == 0)) && grep -q 'Linux version' "$log"; then
		echo kvm >"$cache"
	else
		echo tcg >"$cache"
	fi
	rm -f "$log"
}

# accel_choose WANT IMAGE CACHE: prints "ACCEL REASON" for WANT in auto|tcg|kvm.
accel_choose() {
	local want=$1 image=$2 cache=$3
	case $want in
	tcg) echo "tcg requested"; return ;;
	kvm) echo "kvm requested"; return ;;
	auto) ;;
	*) echo "ci/vm: error: --accel must be auto, tcg or kvm (got '$want')" >&2; return 1 ;;
	esac
	if ! grep -qw -E 'vmx|svm' /proc/cpuinfo; then
		echo "tcg (no vmx/svm in /proc/cpuinfo)"
		return
	fi
	if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
		echo "tcg (/dev/kvm is not usable)"
		return
	fi
	# The verdict is cached per QEMU build and host kernel.
	local key
	key=$(printf '%s %s' "$(qemu-system-x86_64 -version | head -n 1)" "$(uname -r)" | md5sum | cut -c1-12)
	cache=$cache.$key
	[[ -s $cache ]] || accel_probe_kvm "$image" "$cache"
	if [[ $(cat "$cache") == kvm ]]; then
		echo "kvm (probe boot succeeded)"
	else
		echo "tcg (KVM probe boot failed; cached in $cache)"
	fi
}
