// Command clientgo is the client-go side of kubetyped's informer scale benchmark
// (benchmarks/bench_scale.py): one shared informer (typed or metadata-only) over all
// namespaces, reporting sync time, retained heap and RSS, then watch throughput under churn.
//
// Protocol (one JSON object per stdout line):
//
//	{"phase":"listing"} just before the informer starts, then
//	{"phase":"synced","objects":N,"sync_seconds":S,"sync_cpu_seconds":C,"heap_bytes":H,"rss_bytes":R}
//
// (C: this process's CPU time from the start to the informer having synced)
//
// then, for every "churn <count> <value>" line read from stdin, {"phase":"churning"} once it
// counts events with that value, and once <count> update events
// whose object carries annotation bench.kubetyped.dev/churn=<value> have been delivered:
//
//	{"phase":"churned","events":count,"seconds":S,"cpu_seconds":C}
//
// With -mode requests it is the benchmark's request sender instead (requests.go).
//
// The benchmark builds this program into a cache directory outside the repository; it is
// never part of kubetyped.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

const churnAnnotation = "bench.kubetyped.dev/churn"

func emit(v map[string]any) {
	out, _ := json.Marshal(v)
	fmt.Println(string(out))
}

func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fields := strings.Fields(line)
			kib, _ := strconv.ParseInt(fields[1], 10, 64)
			return kib * 1024
		}
	}
	return 0
}

// cpuSeconds is this process's user + system CPU time.
func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig path")
	kubeContext := flag.String("context", "admin", "kubeconfig context")
	namespace := flag.String("namespace", "", "namespace to cache (empty: all)")
	resource := flag.String("resource", "configmaps", "configmaps or pods")
	mode := flag.String("mode", "full", "full (typed informer), metadata (metadata informer) or requests (send the request lines read from stdin)")
	workers := flag.Int("workers", 48, "requests mode: sequences in flight")
	protobuf := flag.Bool("protobuf", false, "protobuf wire format (as kube-controller-manager)")
	flag.Parse()

	loading := &clientcmd.ClientConfigLoadingRules{ExplicitPath: *kubeconfig}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: *kubeContext}
	config, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(loading, overrides).ClientConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	config.QPS, config.Burst = -1, 0 // no client-side rate limit, like the Python variants
	if *protobuf {
		config.ContentType = "application/vnd.kubernetes.protobuf"
	}

	if *mode == "requests" {
		runRequests(config, *workers)
		return
	}

	var wanted atomic.Value
	wanted.Store("")
	var seen, target atomic.Int64
	done := make(chan struct{}, 1) // signalled when seen reaches target (no polling during churn)
	onUpdate := func(obj any) {
		accessor, err := metaOf(obj)
		if err == nil && accessor.GetAnnotations()[churnAnnotation] == wanted.Load().(string) {
			if seen.Add(1) == target.Load() {
				select {
				case done <- struct{}{}:
				default:
				}
			}
		}
	}
	handler := cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, obj any) { onUpdate(obj) },
	}

	stop := make(chan struct{})
	var informer cache.SharedIndexInformer
	runtime.GC()
	debug.FreeOSMemory()
	rssBase := rssBytes()
	emit(map[string]any{"phase": "listing"})
	started, cpuStarted := time.Now(), cpuSeconds()
	switch *mode {
	case "full":
		client := kubernetes.NewForConfigOrDie(config)
		factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(*namespace))
		if *resource == "pods" {
			informer = factory.Core().V1().Pods().Informer()
		} else {
			informer = factory.Core().V1().ConfigMaps().Informer()
		}
		_, _ = informer.AddEventHandler(handler)
		factory.Start(stop)
	case "metadata":
		client := metadata.NewForConfigOrDie(config)
		factory := metadatainformer.NewFilteredSharedInformerFactory(client, 0, *namespace, nil)
		gvr := schema.GroupVersionResource{Version: "v1", Resource: *resource}
		informer = factory.ForResource(gvr).Informer()
		_, _ = informer.AddEventHandler(handler)
		factory.Start(stop)
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(2)
	}
	// cache.WaitForCacheSync polls every 100 ms: poll finer, so the time is the informer's
	for !informer.HasSynced() {
		time.Sleep(time.Millisecond)
	}
	syncSeconds := time.Since(started).Seconds()
	syncCPU := cpuSeconds() - cpuStarted
	runtime.GC()
	debug.FreeOSMemory()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	emit(map[string]any{
		"phase":            "synced",
		"objects":          len(informer.GetStore().ListKeys()),
		"sync_seconds":     syncSeconds,
		"sync_cpu_seconds": syncCPU,
		"heap_bytes":       stats.HeapAlloc,
		"rss_bytes":        rssBytes(),
		"rss_base_bytes":   rssBase,
	})

	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) != 3 || fields[0] != "churn" {
			continue
		}
		count, _ := strconv.ParseInt(fields[1], 10, 64)
		churnStart, cpuStart := time.Now(), cpuSeconds()
		seen.Store(0)
		target.Store(count)
		wanted.Store(fields[2])
		emit(map[string]any{"phase": "churning"})
		<-done
		emit(map[string]any{
			"phase":       "churned",
			"events":      count,
			"seconds":     time.Since(churnStart).Seconds(),
			"cpu_seconds": cpuSeconds() - cpuStart,
		})
	}
	close(stop)
}

func metaOf(obj any) (metav1.Object, error) {
	if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tombstone.Obj
	}
	accessor, ok := obj.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no object metadata", obj)
	}
	return accessor, nil
}
