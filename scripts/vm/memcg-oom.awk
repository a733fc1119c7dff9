# SPDX-License-Identifier: GPL-2.0
#
# A kernel log without the reports of the OOM killer of a memory cgroup
# ("... invoked oom-killer" up to "Memory cgroup out of memory: Killed
# process"): a test that fills a cgroup on purpose (tests/harden.sh) may
# have its process killed there, with a stack trace that is no kernel
# problem. A system-wide OOM report is kept.
/invoked oom-killer/ { held = held $0 "\n"; holding = 1; next }
holding {
	held = held $0 "\n"
	if (/Killed process/) {
		if (!/Memory cgroup out of memory/)
			printf "%s", held
		held = ""
		holding = 0
	}
	next
}
{ print }
END { printf "%s", held }
