#!/bin/sh
# The shape that once hid a command from the parser: redirected brctl, then [ $? -gt 0 ].
# netns-setup: true

brctl addbr a > /dev/null
if [ $? -gt 0 ]
then echo "a failed"
fi
brctl addbr b > /dev/null
if [ $? -gt 0 ]
then echo "b failed"
fi
brctl addbr a > /dev/null
if [ $? != 0 ]; then
    echo "a again failed"
fi
