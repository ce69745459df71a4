# Warnings are errors everywhere in our own code.
# -Wno-restrict: GCC 12 at -O2/-O3 reports a bogus overlapping memcpy inside
# libstdc++'s std::string operator+ (GCC bug 105329, fixed in GCC 13); the
# warning fires in the standard headers, not in our code.
function(qsip_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
    -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
    -Woverloaded-virtual -Wimplicit-fallthrough
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
endfunction()
