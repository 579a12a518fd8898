package dev.bedrocktenant.budget;

/** The reference store against the contract: one instance, so both handles are the same. */
class MemoryStateStoreTest extends StateStoreContract {

    private final MemoryStateStore store = new MemoryStateStore();

    @Override
    StateStore[] stores() {
        return new StateStore[] {store, store};
    }
}
