// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module whose only job is to put a WARNING in the kernel log when it is
 * loaded, so that the guest runner's check for kernel reports can be tested.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmrun_warn_init(void)
{
	WARN(1, "vmrun_warn: deliberate warning for the runner's self-test\n");
	return 0;
}

static void __exit vmrun_warn_exit(void)
{
}

module_init(vmrun_warn_init);
module_exit(vmrun_warn_exit);
MODULE_DESCRIPTION("Deliberate kernel WARNING for testing tools/vm/run");
MODULE_LICENSE("GPL");
