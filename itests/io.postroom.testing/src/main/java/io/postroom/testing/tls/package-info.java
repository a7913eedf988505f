/** {@link io.postroom.testing.tls.TestCertificate}: a self-signed certificate for loopback servers. */
package io.postroom.testing.tls;
