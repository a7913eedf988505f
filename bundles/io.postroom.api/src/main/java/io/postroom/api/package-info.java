/**
 * Common types of the Postroom host contract: who acts ({@link io.postroom.api.Actor}), validated
 * identifiers and addresses, secrets that never print, and the error model every service uses.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api;
