package io.vireo.api.json;

@Doc("A VM's network interface.")
public record VmNicJson(
        @Doc("Its MAC address, xx:xx:xx:xx:xx:xx in lower case.")
        String mac) {}
