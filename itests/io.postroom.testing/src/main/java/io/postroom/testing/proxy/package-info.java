/** {@link io.postroom.testing.proxy.FaultProxy}: a TCP proxy adding latency and network faults. */
package io.postroom.testing.proxy;
