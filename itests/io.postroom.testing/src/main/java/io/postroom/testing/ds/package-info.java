/**
 * {@link io.postroom.testing.ds.ComponentConfig}: a component's configuration without a running DS;
 * {@link io.postroom.testing.ds.MetatypeBounds}: that a component refuses what its metatype's bounds exclude.
 */
package io.postroom.testing.ds;
