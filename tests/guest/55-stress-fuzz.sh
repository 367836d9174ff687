#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stress lane (make stress): the seeded frame fuzzer. The simulated modem
# sends the driver frames with random headers and payloads (debugfs
# "fuzz", driver/sim/sim_fuzz.c) in rounds of FUZZ_FRAMES (500) for
# FUZZ_SECONDS (60); round r uses seed FUZZ_SEED + r, and the run prints
# FUZZ_SEED: the same seed sends the same frames, byte for byte.
# Rounds alternate the engine's residue between none (bam_dma: the header
# is all the host knows) and exact (short frames and bad padding seen).
#
# After each round:
#  - the ledger adds up: every frame the modem wrote into an RX buffer
#    (its rx_frames, less its own OPEN/CLOSE, rx_ctrl) is one the driver
#    delivered (rx_packets of its interfaces) or dropped with a reason
#    (the sum of its rx_bad_*, rx_oversize, rx_short, rx_inactive_channel,
#    rx_dma_error, rx_alloc_fail counters); and the modem wrote all the
#    round's frames (rx_injected +FUZZ_FRAMES);
#  - the guest is healthy: ping goes through channels 0 and 1.
# Channels 0 and 1 are open, so valid DATA frames on them are delivered
# and the others are refused as inactive.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_FRAMES=${FUZZ_FRAMES:-500}
FUZZ_SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
DROPS="rx_bad_magic rx_bad_cmd rx_bad_channel rx_oversize rx_short rx_bad_pad rx_inactive_channel rx_dma_error rx_alloc_fail"
W=
SIM=
WWANS=()

# delivered: rx_packets of every interface of modem 0 (WWANS, found once:
# dmux_wwan forks for every interface, too slow to poll under TCG)
delivered()
{
	local w v s=0

	for w in "${WWANS[@]}"; do
		read -r v < "/sys/class/net/$w/statistics/rx_packets"
		s=$((s + v))
	done
	echo $s
}

# written: frames the modem wrote into RX buffers, less its OPEN/CLOSE
written()
{
	echo $(($(dmux_sim_stat rx_frames) - $(dmux_sim_stat rx_ctrl)))
}

test_setup()
{
	local ch w

	RET=0
	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link 0 failed"
	dmux_link 1
	check_err $? "link 1 failed"
	W=$(dmux_wwan 0)
	SIM=$(sim_debugfs 0)
	for ch in 0 1 2 3 4 5 6 7; do
		w=$(dmux_wwan $ch) && WWANS+=("$w")
	done
	[ ${#WWANS[@]} -eq 8 ]
	check_err $? "expected 8 interfaces, found ${#WWANS[@]}"
	if [ ! -e "$SIM/fuzz" ]; then
		log_skip "stress: fuzz setup" "the simulator has no fuzz file"
		exit 0
	fi
	echo "# fuzz: seed $FUZZ_SEED (FUZZ_SEED=$FUZZ_SEED reproduces), $FUZZ_FRAMES frames a round, $FUZZ_SECONDS s"
	log_test "stress: fuzz setup"
}

# settled: the driver has accounted for every frame written since the
# round began (W0, D0, X0)
settled()
{
	[ $(($(written) - W0)) -eq $(($(delivered) - D0 + $(stress_estat_sum "$W" $DROPS) - X0)) ]
}

# one_round R: fails with ROUND_ERR set when the ledger does not add up
one_round()
{
	local r=$1 seed res inj0 inj w d x

	seed=$((FUZZ_SEED + r))
	res=none
	[ $((r % 2)) = 1 ] && res=exact
	echo $res > "$SIM/residue"
	inj0=$(dmux_sim_stat rx_injected)
	W0=$(written)
	D0=$(delivered)
	X0=$(stress_estat_sum "$W" $DROPS)
	ROUND_ERR="round $r (seed $seed, residue $res)"
	echo "$seed $FUZZ_FRAMES" > "$SIM/fuzz" ||
		{ ROUND_ERR="$ROUND_ERR: writing the fuzz file failed"; return 1; }
	wait_for 30 bash -c "[ \$(awk '\$1 == \"rx_injected\" {print \$2}' $SIM/stats) -ge $((inj0 + FUZZ_FRAMES)) ]"
	inj=$(($(dmux_sim_stat rx_injected) - inj0))
	[ "$inj" -eq "$FUZZ_FRAMES" ] ||
		{ ROUND_ERR="$ROUND_ERR: the modem wrote $inj of $FUZZ_FRAMES frames"; return 1; }
	# the driver may still be polling the last ones
	wait_for 10 settled
	w=$(($(written) - W0))
	d=$(($(delivered) - D0))
	x=$(($(stress_estat_sum "$W" $DROPS) - X0))
	FUZZ_TOTAL_DELIVERED=$((FUZZ_TOTAL_DELIVERED + d))
	FUZZ_TOTAL_DROPPED=$((FUZZ_TOTAL_DROPPED + x))
	[ "$w" -eq $((d + x)) ] ||
		{ ROUND_ERR="$ROUND_ERR: the modem wrote $w frames, the driver delivered $d and dropped $x"; return 1; }
	ping -c 1 -W 2 10.0.0.2 >/dev/null && ping -c 1 -W 2 10.0.1.2 >/dev/null ||
		{ ROUND_ERR="$ROUND_ERR: no ping afterwards"; return 1; }
}

test_fuzz()
{
	local r=0 end

	RET=0
	FUZZ_TOTAL_DELIVERED=0
	FUZZ_TOTAL_DROPPED=0
	end=$((SECONDS + FUZZ_SECONDS))
	while [ $SECONDS -lt $end ]; do
		if ! one_round $r; then
			check_err 1 "$ROUND_ERR"
			r=$((r + 1))
			break
		fi
		r=$((r + 1))
	done
	echo none > "$SIM/residue"
	echo "# fuzz: $r rounds, $((r * FUZZ_FRAMES)) frames sent (seeds $FUZZ_SEED..$((FUZZ_SEED + r - 1))): $FUZZ_TOTAL_DELIVERED delivered, $FUZZ_TOTAL_DROPPED dropped"
	ethtool -S "$W" | awk '/rx_bad|rx_oversize|rx_short|rx_inactive|rx_dma_error|rx_alloc_fail/ && $2 != 0 {printf "# %s %s\n", $1, $2}'
	[ "$r" -gt 0 ]
	check_err $? "not one round in $FUZZ_SECONDS s"
	log_test "stress: fuzz, $FUZZ_FRAMES random frames a round for ${FUZZ_SECONDS} s: every frame delivered or counted dropped, traffic flows after each round"
}

test_after()
{
	local out

	RET=0
	out=$(dmux_payload_check 0)
	check_err $? "$out"
	ethtool "$W" >/dev/null 2>&1
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	log_test "stress: after the fuzz: payloads intact both ways, RX ring whole, no BAM misuse"
}

require_cmd ethtool ip ping || exit 0
tests_run test_setup test_fuzz test_after
exit $EXIT_STATUS
