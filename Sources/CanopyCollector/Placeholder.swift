package enum CanopyCollectorPlaceholder {}
