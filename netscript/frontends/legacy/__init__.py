"""Legacy shell scripts (brctl, vconfig, ifenslave, tunctl, teamd, bonding sysfs, ifconfig) -> modern commands and the IR."""
