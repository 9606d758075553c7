// SPDX-License-Identifier: GPL-2.0
/*
 * devns: device namespaces, reference module.  Load and unload.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "devns_core.h"
#include "devns_input.h"
#include "devns_vfb.h"
#include "devns_vtty.h"

#ifndef DEVNS_DEFECT_NAME
#define DEVNS_DEFECT_NAME "none"
#endif

static int __init devns_init(void)
{
	int ret;

	ret = devns_core_init();
	if (ret)
		return ret;
	ret = devns_proc_init();
	if (ret)
		goto err_core;
	ret = devns_vfb_init();
	if (ret)
		goto err_proc;
	ret = devns_vtty_init();
	if (ret)
		goto err_vfb;
	ret = devns_input_init();
	if (ret)
		goto err_vtty;
	ret = devns_ctl_init();
	if (ret)
		goto err_input;
	pr_info("devns: loaded (defect: %s)\n", DEVNS_DEFECT_NAME);
	return 0;

err_input:
	devns_input_exit();
err_vtty:
	devns_vtty_exit();
err_vfb:
	devns_vfb_exit();
err_proc:
	devns_proc_exit();
err_core:
	devns_core_exit();
	return ret;
}

static void __exit devns_exit(void)
{
	devns_ctl_exit();
	devns_input_exit();
	devns_vtty_exit();
	devns_vfb_exit();
	devns_proc_exit();
	devns_core_exit();
	pr_info("devns: unloaded\n");
}

module_init(devns_init);
module_exit(devns_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devns: device namespaces (reference implementation)");
MODULE_INFO(devns_defect, DEVNS_DEFECT_NAME);
