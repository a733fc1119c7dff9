/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPCODE_NETLINK_H
#define _SIPCODE_NETLINK_H

int sipcode_genl_register(void);
void sipcode_genl_unregister(void);

#endif /* _SIPCODE_NETLINK_H */
