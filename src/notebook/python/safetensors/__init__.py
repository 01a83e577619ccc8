"""safetensors, as the notebook runtime provides it: `safetensors.torch.save_file` / `load_file`."""
