# libtorch: Debian's CPU build (1.13) here, or any libtorch 2.x (CUDA or not) via Torch_DIR /
# CMAKE_PREFIX_PATH. CUDA support follows the libtorch found; there is no WITH_CUDA switch.
find_package(Torch REQUIRED)

add_library(fastchat_torch INTERFACE)
set_target_properties(fastchat_torch PROPERTIES FASTCHAT_TORCH TRUE)
target_link_libraries(fastchat_torch INTERFACE ${TORCH_LIBRARIES})
# TORCH_CXX_FLAGS carries the _GLIBCXX_USE_CXX11_ABI choice, which must match libtorch's.
separate_arguments(_fastchat_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(fastchat_torch INTERFACE ${_fastchat_torch_flags})
# at::parallel_for is a template expanded in *our* code; with an OpenMP libtorch
# (AT_PARALLEL_OPENMP, Debian's and the official builds) it only runs in parallel when we
# compile with OpenMP too. Without this every CPU kernel silently ran on one thread.
find_package(OpenMP REQUIRED COMPONENTS CXX)
target_link_libraries(fastchat_torch INTERFACE OpenMP::OpenMP_CXX)

# One precompiled torch header, built once and reused by every torch-using target: torch's
# headers dominate compile time otherwise.
add_library(fastchat_torch_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp)
target_link_libraries(fastchat_torch_pch PUBLIC fastchat_torch)
target_precompile_headers(fastchat_torch_pch PRIVATE <torch/torch.h>)
fastchat_set_warnings(fastchat_torch_pch)

function(fastchat_use_torch_pch target)
  target_precompile_headers(${target} REUSE_FROM fastchat_torch_pch)
endfunction()
