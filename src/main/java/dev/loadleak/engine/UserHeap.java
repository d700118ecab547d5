package dev.loadleak.engine;

import java.util.Arrays;

/**
 * Virtual users ordered by when their next step is due: a binary min-heap in an array, each user
 * knowing its own index (no node objects). Think pauses and users waiting for a free connection
 * both wait here, so a pause costs no timer and no allocation.
 */
final class UserHeap {
    private VirtualUser[] heap = new VirtualUser[64];
    private int size;

    void add(VirtualUser u) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = u;
        u.heapIndex = size;
        up(size++);
    }

    VirtualUser peek() {
        return size == 0 ? null : heap[0];
    }

    VirtualUser poll() {
        if (size == 0) {
            return null;
        }
        VirtualUser top = heap[0];
        VirtualUser last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            heap[0] = last;
            last.heapIndex = 0;
            down(0);
        }
        top.heapIndex = -1;
        return top;
    }

    int size() {
        return size;
    }

    private void up(int i) {
        VirtualUser u = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            VirtualUser p = heap[parent];
            if (p.due <= u.due) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = u;
        u.heapIndex = i;
    }

    private void down(int i) {
        VirtualUser u = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].due < heap[child].due) {
                child = right;
            }
            if (u.due <= heap[child].due) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = u;
        u.heapIndex = i;
    }
}
