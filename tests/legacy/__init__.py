"""Legacy migration: translating brctl, vconfig, ifenslave, tunctl, teamd, bonding sysfs and ifconfig scripts."""
