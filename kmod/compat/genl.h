/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the generated netlink code (netlink-gen.[ch]) uses of the kernel and
 * older kernels lack. Included by it after <net/netlink.h> and
 * <net/genetlink.h> (kernel-family headers of the spec); each feature is
 * probed by compat/Kbuild.include, never by version.
 */
#ifndef _SIPCODE_COMPAT_GENL_H
#define _SIPCODE_COMPAT_GENL_H

/*
 * Before 6.2, a policy's range pointer is not const, where the generated
 * ranges are: the kernel only reads them.
 */
#ifndef SIPCODE_HAVE_CONST_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * Before 6.2, no split ops: the generated table is turned into genl_ops
 * at registration, one per command, its do and its dump merged (a
 * command's dump then takes the policy of its do). A do's pre_doit is
 * left out: the family's only one refuses attributes to a command
 * without a policy, which genl_ops without one already get from the core.
 */
#ifndef SIPCODE_HAVE_GENL_SPLIT_OPS
struct genl_split_ops {
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
	u8 validate;
};

/* Fills @ops from the @n entries of @split: returns how many it filled. */
static inline unsigned int
sipcode_genl_ops_from_split(struct genl_ops *ops,
			    const struct genl_split_ops *split, unsigned int n)
{
	unsigned int i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < k && ops[j].cmd != split[i].cmd; j++)
			;
		if (j == k)
			k++;
		ops[j].cmd = split[i].cmd;
		ops[j].validate |= split[i].validate;
		ops[j].flags |= split[i].flags &
				(GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		if (split[i].flags & GENL_CMD_CAP_DO) {
			ops[j].doit = split[i].doit;
			ops[j].policy = split[i].policy;
			ops[j].maxattr = split[i].maxattr;
		} else {
			ops[j].start = split[i].start;
			ops[j].dumpit = split[i].dumpit;
			ops[j].done = split[i].done;
		}
	}
	return k;
}
#endif

#endif /* _SIPCODE_COMPAT_GENL_H */
