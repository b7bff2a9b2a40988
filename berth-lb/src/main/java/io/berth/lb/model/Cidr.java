package io.berth.lb.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 CIDR block, as source-ip conditions name them. Immutable. */
public record Cidr(byte[] network, int prefix) {

    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(0, slash).matches("[0-9a-fA-F:.]+")) {
            return Optional.empty();
        }
        try {
            byte[] address = InetAddress.getByName(text.substring(0, slash)).getAddress();
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                return Optional.empty();
            }
            return Optional.of(new Cidr(address, prefix));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
