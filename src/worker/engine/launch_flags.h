#pragma once
// The model-launch flags shared by fastchat-worker, fastchat-cli and fastchat-bench, so that
// every program spells and checks them the same way.

#include <CLI/CLI.hpp>

#include "worker/engine/model_instance.h"

namespace fastchat::engine {

void add_launch_flags(CLI::App& app, engine::LaunchOptions& options);

}  // namespace fastchat::engine
