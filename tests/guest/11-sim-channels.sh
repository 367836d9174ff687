#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: the channels knob decides what the modem announces and
# which bdsim interfaces exist; open/close/open_no_a2_pc attach and detach
# the driver's interfaces at any time.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

test_announced_only()
{
	RET=0
	local n

	sim_noipv6
	dmux_load channels=0x05
	check_err $? "loading the modules failed"
	[ "$(sim_nr_bdsim 0)" -eq 2 ] && [ -e /sys/class/net/bdsim0 ] &&
		[ -e /sys/class/net/bdsim2 ]
	check_err $? "channels=0x05 did not give exactly bdsim0 and bdsim2"
	wait_for 10 sim_wwan 2 0
	sleep 1
	n=$(sim_nr_wwan 0)
	[ "$n" -eq 2 ] && sim_wwan 0 0 >/dev/null && sim_wwan 2 0 >/dev/null
	check_err $? "the driver made $n interfaces, expected channels 0 and 2"
	[ "$(sim_stat modem_open)" = 2 ] && [ "$(sim_stat modem_open_mask)" = 0x05 ]
	check_err $? "the modem did not send exactly two OPENs"
	[ "$(sim_knob channels)" = 0x05 ]
	check_err $? "the channels knob does not read 0x05"
	log_test "sim: only the channels in 'channels' are announced"
}

test_channels_knob()
{
	RET=0

	sim_knob channels 0x0f
	check_err $? "writing channels failed"
	[ "$(sim_nr_bdsim 0)" -eq 4 ]
	check_err $? "channels=0x0f did not make bdsim0..3"
	sim_knob channels 0x100 2>/dev/null
	check_fail $? "channels accepted 0x100"
	# the new mask is announced when the modem boots again
	sim_knob restart_ms 100
	sim_inject crash
	wait_for 15 sim_nr_wwan_is 4 0
	check_err $? "after a restart the driver has $(sim_nr_wwan 0) interfaces, expected 4"
	sim_knob channels 0x01
	[ "$(sim_nr_bdsim 0)" -eq 1 ]
	check_err $? "channels=0x01 did not remove bdsim1..3"
	log_test "sim: writing channels adds and removes bdsim interfaces, a restart announces them"
}

test_open_close()
{
	RET=0
	local wwan

	sim_link 0 0
	check_err $? "no traffic on channel 0"
	wwan=$(sim_wwan 0 0)
	sim_knob close 0
	check_err $? "close 0 failed"
	wait_for 5 sim_carrier_is $wwan 0
	check_err $? "$wwan still has carrier after the modem's CLOSE"
	! sim_ping 0 0 1
	check_err $? "ping went through a closed channel"
	sim_knob open 0
	check_err $? "open 0 failed"
	wait_for 5 sim_carrier_is $wwan 1
	check_err $? "$wwan has no carrier after the modem's OPEN"
	wait_for 10 sim_ping 0 0 1
	check_err $? "no traffic after the modem re-opened channel 0"
	[ "$(sim_stat modem_close)" -ge 1 ]
	check_err $? "modem_close not counted"
	log_test "sim: close detaches the driver's interface, open attaches it again"
}

test_open_new_channel()
{
	RET=0

	sim_knob open 6
	check_err $? "open 6 failed"
	wait_for 10 sim_wwan 6 0
	check_err $? "the driver made no interface for channel 6"
	sim_knob open_no_a2_pc 7
	check_err $? "open_no_a2_pc 7 failed"
	wait_for 10 sim_wwan 7 0
	check_err $? "the driver made no interface for channel 7 (command 4)"
	log_test "sim: open and open_no_a2_pc announce a channel at any time"
}

tests_run test_announced_only test_channels_knob test_open_close \
	test_open_new_channel
