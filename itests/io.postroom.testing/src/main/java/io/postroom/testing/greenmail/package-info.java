/** {@link io.postroom.testing.greenmail.GreenMailServers}: GreenMail on the loopback interface only. */
package io.postroom.testing.greenmail;
