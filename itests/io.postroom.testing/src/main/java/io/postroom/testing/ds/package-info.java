/** {@link io.postroom.testing.ds.ComponentConfig}: a component's configuration without a running DS. */
package io.postroom.testing.ds;
