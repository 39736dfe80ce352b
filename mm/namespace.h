/* SPDX-License-Identifier: MIT */
/*
 * libkmm's private namespace (the jemalloc way): every global of the library
 * that is not public API (include/kmm/kmm.h) is really kmm_<name>, so that
 * linking libkmm.a into a kernel never collides with the kernel's own
 * zones, memblock or slab_lookup. mm/'s sources keep the short names; this
 * header, included first by mm/port.h, renames them. The memblock table
 * itself, whose name is also a word (a ktest suite's), gets its symbol from
 * an asm label in mm/memblock.h instead. tests/lib/symbols.sh
 * fails the build when a global slips out without a prefix: add it here.
 */
#ifndef MM_NAMESPACE_H
#define MM_NAMESPACE_H

#define buddy_add_free_block         kmm_buddy_add_free_block
#define buddy_snapshot               kmm_buddy_snapshot
#define build_zonelists              kmm_build_zonelists
#define fail_page_alloc_active       kmm_fail_page_alloc_active
#define fail_page_alloc_attr         kmm_fail_page_alloc_attr
#define fail_page_alloc_min_order    kmm_fail_page_alloc_min_order
#define numa_memblks                 kmm_numa_memblks
#define numa_nr_memblks              kmm_numa_nr_memblks
#define numa_phys_to_nid             kmm_numa_phys_to_nid
#define numa_nodes_init              kmm_numa_nodes_init
#define numa_cpu_node_changed        kmm_numa_cpu_node_changed
#define slab_alloc_node              kmm_slab_alloc_node
#define slab_set_state               kmm_slab_set_state
#define slab_new                     kmm_slab_new
#define slab_nodes_init              kmm_slab_nodes_init
#define slab_node_get                kmm_slab_node_get
#define slab_node_fallback           kmm_slab_node_fallback
#define numa_count_alloc             kmm_numa_count_alloc
#define nr_memory_nodes              kmm_nr_memory_nodes
#define node_managed_pages           kmm_node_managed_pages
#define cpu_mem_node                 kmm_cpu_mem_node
#define gfp_fixup                    kmm_gfp_fixup
#define failslab_active              kmm_failslab_active
#define failslab_attr                kmm_failslab_attr
#define fault_attr_get               kmm_fault_attr_get
#define fault_attr_set               kmm_fault_attr_set
#define fault_attr_show              kmm_fault_attr_show
#define fault_config_parse           kmm_fault_config_parse
#define fault_inject_start           kmm_fault_inject_start
#define fault_inject_stop            kmm_fault_inject_stop
#define setup_fail_page_alloc_min_order kmm_setup_fail_page_alloc_min_order
#define setup_fault_attr             kmm_setup_fault_attr
#define should_fail_alloc_page       kmm_should_fail_alloc_page
#define should_fail_ex               kmm_should_fail_ex
#define should_failslab              kmm_should_failslab
#define __kfence_alloc               kmm___kfence_alloc
#define kfence_countdown_limit       kmm_kfence_countdown_limit
#define kfence_enabled               kmm_kfence_enabled
#define kfence_failslab_changed      kmm_kfence_failslab_changed
#define kfence_free                  kmm_kfence_free
#define kfence_get_stats             kmm_kfence_get_stats
#define kfence_ksize                 kmm_kfence_ksize
#define kfence_object_index          kmm_kfence_object_index
#define kfence_pool_ready            kmm_kfence_pool_ready
#define kfence_sample_interval       kmm_kfence_sample_interval
#define kfence_sample_next           kmm_kfence_sample_next
#define kfence_shutdown_cache        kmm_kfence_shutdown_cache
#define page_inspect                 kmm_page_inspect
#define page_inspect_span            kmm_page_inspect_span
#define page_inspect_zone            kmm_page_inspect_zone
#define page_kind_name               kmm_page_kind_name
#define kmalloc_caches               kmm_kmalloc_caches
#define kmalloc_caches_init          kmm_kmalloc_caches_init
#define kmalloc_class_size           kmm_kmalloc_class_size
#define kmalloc_size_cache           kmm_kmalloc_size_cache
#define kmalloc_size_index           kmm_kmalloc_size_index
#define kmem_cache_boot              kmm_kmem_cache_boot
#define max_pfn_mapped               kmm_max_pfn_mapped
#define memblock_add_map             kmm_memblock_add_map
#define memblock_phys_alloc_try      kmm_memblock_phys_alloc_try
#define memblock_reset               kmm_memblock_reset
#define memblock_set_node            kmm_memblock_set_node
#define memblock_retire              kmm_memblock_retire
#define memmap_pages                 kmm_memmap_pages
#define memmap_present               kmm_memmap_present
#define min_pfn_mapped               kmm_min_pfn_mapped
#define page_poison_block            kmm_page_poison_block
#define page_poison_check_block      kmm_page_poison_check_block
#define pcp_lists                    kmm_pcp_lists
#define slab_alloc_slow              kmm_slab_alloc_slow
#define slab_gfp_refused             kmm_slab_gfp_refused
#define slab_alloc_sized             kmm_slab_alloc_sized
#define slab_alloc_miss              kmm_slab_alloc_miss
#define slab_depot_get_empty         kmm_slab_depot_get_empty
#define slab_depot_get_full          kmm_slab_depot_get_full
#define slab_depot_init              kmm_slab_depot_init
#define slab_depot_release           kmm_slab_depot_release
#define slab_discard_empty_locked    kmm_slab_discard_empty_locked
#define slab_flush_locked            kmm_slab_flush_locked
#define slab_forget_caches           kmm_slab_forget_caches
#define slab_lock_slow               kmm_slab_lock_slow
#define slab_next_magazine           kmm_slab_next_magazine
#define slab_reclaim                 kmm_slab_reclaim
#define slab_bug                     kmm_slab_bug
#define slab_cache_setup             kmm_slab_cache_setup
#define slab_caches                  kmm_slab_caches
#define slab_caches_lock             kmm_slab_caches_lock
#define slab_check_slab              kmm_slab_check_slab
#define slab_create                  kmm_slab_create
#define slab_dead_cache              kmm_slab_dead_cache
#define slab_debug_flags_for         kmm_slab_debug_flags_for
#define slab_debug_init_object       kmm_slab_debug_init_object
#define slab_debug_init_slab         kmm_slab_debug_init_slab
#define slab_debug_on_alloc          kmm_slab_debug_on_alloc
#define slab_debug_orig_size         kmm_slab_debug_orig_size
#define slab_debug_kmalloc_shrink    kmm_slab_debug_kmalloc_shrink
#define slab_debug_on_free           kmm_slab_debug_on_free
#define slab_discard                 kmm_slab_discard
#define slab_drain_all_magazines     kmm_slab_drain_all_magazines
#define slab_empty_mag               kmm_slab_empty_mag
#define slab_expected_state          kmm_slab_expected_state
#define slab_free_full               kmm_slab_free_full
#define slab_free_miss               kmm_slab_free_miss
#define slab_free_slow               kmm_slab_free_slow
#define slab_lookup                  kmm_slab_lookup
#define slab_magazine_cache          kmm_slab_magazine_cache
#define slab_obj_index               kmm_slab_obj_index
#define slab_print_owner             kmm_slab_print_owner
#define slab_report_live             kmm_slab_report_live
#define slab_set_nfree               kmm_slab_set_nfree
#define slab_truncate_freelist       kmm_slab_truncate_freelist
#define totalram_pages               kmm_totalram_pages
#define vmalloc_init                 kmm_vmalloc_init
#define vmalloc_pool_pages           kmm_vmalloc_pool_pages
#define zone_init_free_lists         kmm_zone_init_free_lists
#define zone_setup_pcp               kmm_zone_setup_pcp
#define zonelists                    kmm_zonelists
#define zones                        kmm_zones
#define mm_cpu_countdowns            kmm_mm_cpu_countdowns
#define mm_cpu_slots                 kmm_mm_cpu_slots
#define mm_port_meminfo              kmm_port_meminfo
/* mm/inspect.h: the page and zone reports (page_inspect.c, vmalloc.c). */

/*
 * The library's own printk and panic, for its sources only:
 * a kernel's files that include mm/ headers keep their own printk and panic.
 */
#ifdef KMM_LIBRARY_BUILD
#define printk          kmm_printk
#define vprintk         kmm_vprintk
#define panic           kmm_panic
#endif

#endif /* MM_NAMESPACE_H */
