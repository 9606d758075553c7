#!/usr/bin/env bash
# make-series.sh DIR: the synthetic kernel series of README's "make gate
# KIND=kernel" example, as a git tree in DIR/linux-source-6.12: Debian's
# linux-source-6.12 as the base, then
#   1. a comment (fbmem.c's header names its file's current place)
#   2. tty_do_resize() no longer signals SIGWINCH (the regression: VTTY-9)
#   3. fb_set_cmap() sleeps 5 ms first (the slowdown: every switch loads a palette)
#   4. a comment (a typo in tty_do_resize()'s comment)
# Then: ci/gate --kind kernel --tree DIR/linux-source-6.12 --base base --head master
set -euo pipefail
[[ $# == 1 && $1 != -* ]] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
tarball=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
mkdir -p "$1"
cd "$1"
rm -rf linux-source-6.12
tar -xJf "$tarball"
cd linux-source-6.12
# Debian's packaging ignores every top-level path: drop those lines
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
sed -i '$d' .gitignore
export GIT_AUTHOR_NAME="A Developer" GIT_AUTHOR_EMAIL=dev@example.org
export GIT_COMMITTER_NAME="A Developer" GIT_COMMITTER_EMAIL=dev@example.org
git init -q -b master
git add -A
git commit -q -m "Linux 6.12 (Debian linux-source-6.12)"
git tag base
# commit SUBJECT BODY: everything changed, signed off
commit() { git commit -qa -m "$1" -m "${2:+$2

}Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"; }
check() { git diff --quiet && { echo "make-series.sh: $1 did not apply" >&2; exit 1; }; return 0; }

sed -i '2s|linux/drivers/video/fbmem.c|linux/drivers/video/fbdev/core/fbmem.c|' drivers/video/fbdev/core/fbmem.c
check "the fbmem.c comment"
commit "fbdev: fbmem: name the file where it lives now" \
	"The file moved to drivers/video/fbdev/core/ long ago; its header still
named the old place."

awk '
	/^int tty_do_resize\(/ { in_fn = 1 }
	in_fn && /^\tstruct pid \*pgrp;$/ { getline; next }
	in_fn && /Signal the foreground process group/ {
		print "\t/* The line discipline tells the foreground process group. */"
		for (i = 0; i < 5; i++) getline
		next
	}
	/^}/ { in_fn = 0 }
	{ print }' drivers/tty/tty_io.c >drivers/tty/tty_io.c.new
mv drivers/tty/tty_io.c.new drivers/tty/tty_io.c
check "the SIGWINCH change"
commit "tty: leave the SIGWINCH of a resize to the line discipline" \
	"tty_do_resize() signals the foreground process group itself; drop it,
the line discipline is the one that knows the group."

awk '
	/^#include <linux\/module.h>/ { print "#include <linux/delay.h>" }
	/^int fb_set_cmap\(/ { in_fn = 1 }
	in_fn && /if \(info->fbops->fb_setcmap\) \{/ {
		print "\t/* let the palette of the previous frame latch first */"
		print "\tusleep_range(5000, 6000);"
		in_fn = 0
	}
	{ print }' drivers/video/fbdev/core/fbcmap.c >drivers/video/fbdev/core/fbcmap.c.new
mv drivers/video/fbdev/core/fbcmap.c.new drivers/video/fbdev/core/fbcmap.c
check "the fbcmap.c change"
commit "fbdev: fbcmap: let the previous palette latch before loading one" \
	"Some panels latch the palette at the next frame; loading a new one
before that tears.  Wait a frame (5 ms) first."

sed -i 's/necessary signals to peform a/necessary signals to perform a/' drivers/tty/tty_io.c
check "the typo"
commit "tty: tty_io: fix a typo in tty_do_resize()'s comment" ""
git log --oneline
