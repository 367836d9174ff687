#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The guest the suite runs in: Debian's kernel, the mounts the tests rely
# on, and module BTF for what the build produced.
source "$(dirname "$0")/lib.sh"

test_kernel()
{
	RET=0
	local want what="Debian kernel"

	if [ "${VM_KERNEL:-stock}" = debug ]; then
		want=$(cat "$MODULES_ROOT/kernelrelease" 2>/dev/null)
		what="debug kernel"
	else
		want=$("$REPO/tools/kver")
	fi
	[ "$(uname -r)" = "$want" ]
	check_err $? "guest runs $(uname -r), the build targets ${want:-nothing}"
	[ -e /sys/kernel/btf/vmlinux ]
	check_err $? "no kernel BTF"
	log_test "guest: $what $(uname -r) with BTF"
}

test_mounts()
{
	RET=0
	local fs

	for fs in /sys/kernel/debug:debugfs /sys/kernel/tracing:tracefs \
		  /sys/fs/bpf:bpf /tmp:tmpfs /run:tmpfs; do
		findmnt -n -t "${fs#*:}" "${fs%%:*}" >/dev/null
		check_err $? "${fs%%:*} is not ${fs#*:}"
	done
	touch "$REPO/build/.guest-write-check" && rm "$REPO/build/.guest-write-check"
	check_err $? "repository is not writable"
	log_test "guest: debugfs, tracefs, bpffs, tmpfs and a writable repository"
}

# tools/vm/init holds the RX timestamp static key on for the whole boot
# (why: the comment there); without the holder, every ping patches it
test_netstamp_hold()
{
	RET=0
	local pid

	pid=$(pgrep -f vmrun-netstamp-hold)
	check_err $? "the socket holding SO_TIMESTAMP is not running"
	if [ -n "$pid" ]; then
		ls -l /proc/"${pid%%[!0-9]*}"/fd 2>/dev/null | grep -q 'socket:'
		check_err $? "the holder ($pid) has no socket open"
	fi
	log_test "guest: one socket holds the RX timestamp key on for the boot"
}

# tools/vm/init keeps the tracer's task-name recording registered for the
# whole boot (why: the comment there); without it, enabling the first
# event and disabling the last patch __schedule()
test_cmdline_hold()
{
	RET=0
	local hold=/sys/kernel/tracing/instances/vmrun-cmdline-hold

	[ "$(cat $hold/events/module/module_request/enable 2>/dev/null)" = 1 ]
	check_err $? "no event enabled in $hold"
	[ "$(cat $hold/tracing_on 2>/dev/null)" = 0 ]
	check_err $? "$hold records: its tracing should be off"
	grep -qx record-cmd $hold/trace_options 2>/dev/null
	check_err $? "$hold does not record task names (record-cmd off)"
	log_test "guest: a trace instance holds task-name recording on for the boot"
}

# tools/vm/init makes both holds with the other CPUs offline, then brings
# them back: every CPU the guest has is online again
test_cpus_back()
{
	RET=0
	local present online

	present=$(cat /sys/devices/system/cpu/present)
	online=$(cat /sys/devices/system/cpu/online)
	[ "$online" = "$present" ]
	check_err $? "CPUs $online online, $present present"
	[ -e /run/vmrun-netstamp-held ]
	check_err $? "the holder never said its socket option was set"
	log_test "guest: every CPU online again after the boot's holds ($online)"
}

test_module_btf()
{
	RET=0
	if [ ! -f "$DRIVER_KO" ] || [ ! -f "$SIM_KO" ]; then
		log_skip "guest: module BTF listed under /sys/kernel/btf" "modules not built"
		return
	fi
	dmux_load
	check_err $? "loading the simulator and the driver failed"
	[ -e /sys/kernel/btf/bam_dmux ] && [ -e /sys/kernel/btf/bam_dmux_sim ]
	check_err $? "/sys/kernel/btf/bam_dmux or bam_dmux_sim missing"
	dmux_unload
	check_err $? "unloading the modules failed"
	log_test "guest: module BTF listed under /sys/kernel/btf"
}

# In the bounce lane (tools/vm/run --append swiotlb=force): the driver's
# DMA mappings really go through the software IO TLB.
swiotlb_used() { cat /sys/kernel/debug/swiotlb/io_tlb_used; }

test_swiotlb()
{
	RET=0
	local idle

	grep -qw 'swiotlb=force' /proc/cmdline || return 0
	idle=$(swiotlb_used)
	check_err $? "no /sys/kernel/debug/swiotlb: is the software IO TLB set up?"
	# the modem boots powered: the driver maps its RX ring at once
	dmux_load
	check_err $? "loading the modules failed"
	wait_for 10 test "$(swiotlb_used)" -gt "${idle:-0}"
	check_err $? "the driver's RX ring took no IO TLB slot ($(swiotlb_used) used, $idle before)"
	dmux_unload
	log_test "guest: swiotlb=force: the driver's DMA mappings bounce"
}

tests_run test_kernel test_mounts test_netstamp_hold test_cmdline_hold test_cpus_back test_module_btf \
	test_swiotlb
