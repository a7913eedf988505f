/**
 * What the host implements for Postroom: its tenants and users ({@link io.postroom.api.spi.TenantDirectory})
 * and the limits of their plans ({@link io.postroom.api.spi.PlanPolicy}). Register implementations as
 * OSGi services; Postroom's services wait until both are present.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api.spi;
