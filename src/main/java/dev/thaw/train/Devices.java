package dev.thaw.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The devices trials run on. On the CUDA backend each GPU is a device and a trial's thread is bound to one; on the
 * CPU backend there is one device, which ND4J already spreads over every core.
 */
public final class Devices {
    private Devices() {
    }

    /** True when ND4J runs on CUDA. */
    public static boolean gpu() {
        return Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).contains("cuda");
    }

    /** Default number of trials to run at once on this machine: one per GPU, or 1 on CPU. */
    public static int defaultSlots() {
        return gpu() ? Math.max(1, Nd4j.getAffinityManager().getNumberOfDevices()) : 1;
    }

    /** Binds the calling thread to the GPU for {@code slot} (slot modulo the GPU count); does nothing on CPU. */
    public static void bindCurrentThread(int slot) {
        if (gpu()) {
            int devices = Nd4j.getAffinityManager().getNumberOfDevices();
            Nd4j.getAffinityManager().unsafeSetDevice(Math.floorMod(slot, devices));
        }
    }
}
