/** {@link io.postroom.testing.log.LogCapture}: what code logs, for "no secret in the logs" tests. */
package io.postroom.testing.log;
