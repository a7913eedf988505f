/**
 * The host's side of the contract as a host would write it for a test:
 * {@link io.postroom.testing.host.TestHost} (a {@code TenantDirectory} and {@code PlanPolicy} with
 * fixed users and plans) and {@link io.postroom.testing.host.RecordingEventAdmin}, which needs
 * {@code org.osgi.service.event} on the test class path (a provided dependency of this jar).
 */
package io.postroom.testing.host;
