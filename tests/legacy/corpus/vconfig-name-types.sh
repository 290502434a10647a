#!/bin/sh
# vconfig's four name types, in lower case too, one set in a function before the adds.

use_padded() {
    vconfig set_name_type vlan_plus_vid
}

vconfig set_name_type DEV_PLUS_VID_NO_PAD
vconfig add eth0 10
use_padded
vconfig add eth0 20
vconfig set_name_type dev_plus_vid
vconfig add eth0 30
vconfig set_egress_map eth0.0030 0 3
vconfig rem eth0.0030
vconfig rem vlan0020
