package io.postroom.persistence;

import java.util.Set;

/**
 * What a UIDVALIDITY remap did.
 *
 * @param matchedUids  new UIDs matched to existing records (their locations are written)
 * @param lostLocations old locations that matched no message any more (removed)
 */
public record RemapResult(Set<Long> matchedUids, int lostLocations) {
    public RemapResult {
        matchedUids = Set.copyOf(matchedUids);
    }
}
