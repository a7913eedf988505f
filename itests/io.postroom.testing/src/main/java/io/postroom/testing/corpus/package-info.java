/** {@link io.postroom.testing.corpus.SharedCorpus}: the shared corpus of real-world and malformed messages. */
package io.postroom.testing.corpus;
