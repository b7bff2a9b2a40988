package io.berth.agent.metadata;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/**
 * Where containers reach the agent: the host's address on Docker's default bridge ({@code docker0},
 * usually 172.17.0.1). Containers in bridge mode reach it through their gateway, containers in host
 * mode as one of the host's own addresses; nothing outside the host does.
 */
final class BridgeAddress {
    static final String DEFAULT_BRIDGE = "docker0";

    private BridgeAddress() {
    }

    static Optional<InetAddress> of(String interfaceName) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                return Optional.empty(); // (a bridge without containers may be down; its address still binds)
            }
            return nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
