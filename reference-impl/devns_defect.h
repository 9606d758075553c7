/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compile-time defects of the reference module.
 *
 * "make DEFECT=name" defines DEFECT_name=1; code asks DEVNS_DEFECT(name),
 * which is a constant 0 in a clean build, so the defect paths compile away.
 * Every name must be listed in defects.list; the Makefile rejects unknown
 * names and checks that each listed name is used here somewhere.
 */
#ifndef DEVNS_DEFECT_H
#define DEVNS_DEFECT_H

#include <linux/kconfig.h>

#define DEVNS_DEFECT(name) IS_ENABLED(DEFECT_##name)

#endif /* DEVNS_DEFECT_H */
