/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sipcode uses of the kernel and older kernels lack, included before
 * every file of the module (-include, see Kbuild.include). Each feature is
 * probed in the headers of the kernel being built for, which defines
 * SIPCODE_HAVE_<FEATURE> when it is there: never a version check.
 *
 * The macros here expand where they are used, after the file's own
 * includes, so this header includes nothing.
 */
#ifndef _SIPCODE_COMPAT_H
#define _SIPCODE_COMPAT_H

/*
 * NL_SET_ERR_MSG_FMT (6.2): older kernels have no buffer in the extack for
 * a formatted message, so the message is the format itself, conversions
 * and all ("port %u is out of range"). The arguments are still checked
 * against the format, and count as used, as no_printk() does. The
 * format, a literal used twice, is picked out of the arguments.
 */
#ifndef SIPCODE_HAVE_NL_SET_ERR_MSG_FMT
#define SIPCODE_COMPAT_FMT(fmt, ...) fmt
#define NL_SET_ERR_MSG_FMT(extack, ...) do {			\
	NL_SET_ERR_MSG(extack, SIPCODE_COMPAT_FMT(__VA_ARGS__));	\
	no_printk(__VA_ARGS__);					\
} while (0)
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...)	\
	NL_SET_ERR_MSG_FMT(extack, KBUILD_MODNAME ": " fmt, ##args)
#endif

#endif /* _SIPCODE_COMPAT_H */
