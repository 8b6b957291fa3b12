#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Front end of the test_vmalloc module (lib/test_vmalloc.c, built with
# CONFIG_TEST_VMALLOC=m). The module does all the work while it loads,
# prints its results to the kernel log and then refuses to stay loaded.
# This script loads it with a preset or with the parameters given to it,
# reads the module's KTAP report back from the kernel log and turns every
# case of the module into one KTAP test of its own output, so that the
# exit code says whether all cases passed.
#
#   test_vmalloc.sh performance   one worker, cases in order, 3 repeats
#   test_vmalloc.sh stress        one worker per CPU, 20 repeats
#   test_vmalloc.sh smoke         one worker, 10000 loops, 10 repeats
#   test_vmalloc.sh name=value... any of the module's parameters
#
# Without arguments it prints a longer help and the module's parameters.

HERE="$(dirname "$(readlink -f "$0")")"
# shellcheck source-path=SCRIPTDIR source=../kselftest/ktap_helpers.sh
source "$HERE/../kselftest/ktap_helpers.sh"

MODULE=test_vmalloc
CPUS=$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)

# The presets say how many workers they want: the module runs one unless
# nr_threads says otherwise.
PRESET_performance="nr_threads=1 sequential_test_order=1 test_repeat_count=3"
PRESET_stress="nr_threads=$CPUS test_repeat_count=20"
PRESET_smoke="nr_threads=1 test_loop_count=10000 test_repeat_count=10"

show_help()
{
	cat <<EOF
Usage: $0 performance | stress | smoke | PARAM=VALUE...

Loads the $MODULE module, which stresses vmalloc and its neighbours
from kernel threads and measures them, and reports each of its cases as
a KTAP test, after the module's latency figures for it. The per-worker
"Summary:" lines stay in the kernel log.

Presets:
  performance  $PRESET_performance
  stress       $PRESET_stress
  smoke        $PRESET_smoke

Examples:
  # fix_size_alloc_test only, one worker per CPU, 5 repeats
  $0 nr_threads=$CPUS run_test_mask=1 test_repeat_count=5

  # fix_size, full_fit, long_busy_list and fix_align (1+2+4+16)
  # on one worker, in id order
  $0 nr_threads=1 sequential_test_order=1 run_test_mask=23

  # 8-page fix_size_alloc_test with vmalloc_huge(), and the floor to
  # compare it with (mask 1 + 524288)
  $0 nr_pages=8 use_huge=1 run_test_mask=524289

Parameters of the module:
EOF
	modinfo -F parm "$MODULE" 2>/dev/null | sed 's/^/  /' ||
		echo "  (module not found: build it with CONFIG_TEST_VMALLOC=m)"
	exit "$KSFT_PASS"
}

skip_all()
{
	ktap_print_header
	ktap_skip_all "$*"
	exit "$KSFT_SKIP"
}

require()
{
	[ "$(id -u)" -eq 0 ] || skip_all "must be run as root"
	command -v modprobe >/dev/null 2>&1 || skip_all "modprobe is missing"
	command -v dmesg >/dev/null 2>&1 || skip_all "dmesg is missing"
	[ -w /dev/kmsg ] || skip_all "cannot write /dev/kmsg"
	modinfo "$MODULE" >/dev/null 2>&1 ||
		skip_all "no $MODULE module: needs CONFIG_TEST_VMALLOC=m"
}

# Every argument must be NAME or NAME=VALUE, with NAME a parameter of the
# module and VALUE a number (decimal or 0x hex) or a boolean word.
check_params()
{
	local known arg name value

	known=$(modinfo -F parm "$MODULE" |
		sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\):.*/\1/p')
	for arg in "$@"; do
		name=${arg%%=*}
		value=${arg#"$name"}
		value=${value#=}
		if ! grep -qx -- "$name" <<< "$known"; then
			ktap_exit_fail_msg "unknown parameter '$name'"
		fi
		if ! [[ $value =~ ^([0-9]+|0x[0-9a-fA-F]+|[yYnN]|)$ ]]; then
			ktap_exit_fail_msg "bad value '$value' for $name"
		fi
	done
}

# Print what the kernel logged after the line holding $1, without the
# timestamp (and caller id) prefixes.
log_after()
{
	dmesg | awk -v mark="$1" 'seen { print } index($0, mark) { seen = 1 }' |
		sed -E 's/^(\[[^]]*\] ?)+//'
}

# Re-emit the module's KTAP report ($1) as this script's own KTAP output.
relay_report()
{
	local report=$1 line plan name

	plan=$(sed -n -E 's/^1\.\.([0-9]+)$/\1/p' <<< "$report" | head -n 1)
	[ -n "$plan" ] || ktap_exit_fail_msg "the module's report has no plan"
	ktap_set_plan "$plan"

	while IFS= read -r line; do
		case $line in
		"# Totals:"*)
			;;
		"#"*)
			echo "$line"
			;;
		"ok "*"# SKIP"*)
			read -r _ _ name _ <<< "$line"
			ktap_print_msg "$name:${line#*# SKIP}"
			ktap_test_skip "$name"
			;;
		"ok "*)
			read -r _ _ name _ <<< "$line"
			ktap_test_pass "$name"
			;;
		"not ok "*)
			read -r _ _ _ name _ <<< "$line"
			ktap_test_fail "$name"
			;;
		esac
	done <<< "$report"
}

run_module()
{
	local mark out report

	mark="test_vmalloc.sh[$$]: loading $MODULE $*"
	echo "$mark" > /dev/kmsg

	ktap_print_msg "modprobe $MODULE $*"
	# The module always fails its init with EAGAIN once it has run.
	if out=$(modprobe "$MODULE" "$@" 2>&1); then
		ktap_print_msg "$MODULE stayed loaded: not the expected module?"
		modprobe -r "$MODULE" >/dev/null 2>&1
	elif ! grep -q "Resource temporarily unavailable" <<< "$out"; then
		ktap_print_msg "modprobe: $out"
	fi

	# The module's report: from its configuration line to its totals.
	report=$(log_after "$mark" |
		awk '/^# vmalloc_test: threads=/ { on = 1 } on { print }
		     on && /^# Totals:/ { exit }')
	if [ -z "$report" ]; then
		ktap_exit_fail_msg "no report of $MODULE in the kernel log"
	fi

	relay_report "$report"
	ktap_finished
}

[ $# -gt 0 ] || show_help

case $1 in
-h | --help | help)
	show_help
	;;
performance | stress | smoke)
	require
	ktap_print_header
	preset=PRESET_$1
	# Word splitting of the preset is wanted here.
	# shellcheck disable=SC2086
	run_module ${!preset}
	;;
*)
	require
	ktap_print_header
	check_params "$@"
	run_module "$@"
	;;
esac
