"""The PyTorch twin of SGIDKit's Swift classifier trainer (Sources/Training): the same network built from the folder's
config.json as an nn.Sequential named `layers`, the same weights (model.safetensors), the same recipe (AdamW, OneCycleLR
with momentum cycling, cross-entropy with label smoothing). Runs in the heavy environment (torch).

Usage:
  classifier_twin.py steps FOLDER BATCHES OUT   BATCHES.safetensors holds images.K [N,H,W,C] and labels.K [N] (floats)
                                                for K = 0..steps-1, and settings.* scalars (max_lr, weight_decay,
                                                smoothing); writes OUT.safetensors with grad.NAME (after the first
                                                batch's backward), NAME (the parameters after every step), loss [steps],
                                                lr [steps], beta1 [steps]; prints {"steps": K}
  classifier_twin.py schedule TOTAL MAX_LR      prints OneCycleLR's learning rate and beta1 for each of TOTAL steps
  classifier_twin.py train TRAIN TEST [--epochs E] [--seed S] [--threads T] [--augment crop-flip|none]
                                                the whole recipe in PyTorch on the same ImageFolder trees (grayscale):
                                                RandomCrop(28, padding=2) + RandomHorizontalFlip, Normalize(0.286, 0.353),
                                                batch 64, AdamW(wd 5e-4) + OneCycleLR(3e-3), dropout 0.3, 32/64/128;
                                                prints {"test_accuracy", "seconds"}
"""

import json
import sys

import torch
from safetensors.torch import load_file, save_file


def build(config):
    """nn.Sequential from config.json; layers named layers.N as the Swift side names them."""
    arch = config["architecture"]
    channels, modules = arch["inputChannels"], []
    flat = None
    for spec in arch["layers"]:
        (kind, args), = spec.items()
        if kind == "convolution":
            k = args["kernel"]
            modules.append(torch.nn.Conv2d(channels, args["outChannels"], k, padding=k // 2))
            channels = args["outChannels"]
        elif kind == "relu":
            modules.append(torch.nn.ReLU())
        elif kind == "maxPool":
            modules.append(torch.nn.MaxPool2d(2))
        elif kind == "globalAveragePool":
            modules.append(torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()))
            flat = channels
        elif kind == "dropout":
            modules.append(torch.nn.Dropout(args["probability"]))
        elif kind == "linear":
            if flat is None:
                raise SystemExit("the twin supports linear layers after global average pooling only")
            modules.append(torch.nn.Linear(flat, args["outFeatures"]))
            flat = args["outFeatures"]
        else:
            raise SystemExit(f"unknown layer {kind}")

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.Sequential(*modules)

        def forward(self, x):
            return self.layers(x)

    return Net()


def load(folder):
    with open(f"{folder}/config.json") as f:
        config = json.load(f)
    net = build(config)
    state = load_file(f"{folder}/model.safetensors")
    # Parameter-free layers have no entries; Sequential wrappers hold none either.
    net.load_state_dict(state, strict=True)
    return net, config


def steps(folder, batches_path, out_path):
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    net, _ = load(folder)
    batches = load_file(batches_path)
    count = len([k for k in batches if k.startswith("images.")])
    max_lr = float(batches["settings.max_lr"])
    weight_decay = float(batches["settings.weight_decay"])
    smoothing = float(batches["settings.smoothing"])
    optimizer = torch.optim.AdamW(net.parameters(), lr=max_lr / 25, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=count)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=smoothing)
    net.train()
    out, losses, rates, betas = {}, [], [], []
    for k in range(count):
        images = batches[f"images.{k}"].permute(0, 3, 1, 2).contiguous()
        labels = batches[f"labels.{k}"].long()
        optimizer.zero_grad()
        loss = criterion(net(images), labels)
        loss.backward()
        if k == 0:
            for name, p in net.named_parameters():
                out[f"grad.{name}"] = p.grad.detach().clone()
        rates.append(optimizer.param_groups[0]["lr"])
        betas.append(optimizer.param_groups[0]["betas"][0])
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    for name, p in net.named_parameters():
        out[name] = p.detach().clone()
    out["loss"] = torch.tensor(losses, dtype=torch.float64).float()
    out["lr"] = torch.tensor(rates, dtype=torch.float64).float()
    out["beta1"] = torch.tensor(betas, dtype=torch.float64).float()
    save_file(out, out_path)
    print(json.dumps({"steps": count, "loss": losses, "lr": rates, "beta1": betas}))


def schedule(total, max_lr):
    p = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([p], lr=max_lr / 25)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total)
    rates, betas = [], []
    for _ in range(total):
        rates.append(optimizer.param_groups[0]["lr"])
        betas.append(optimizer.param_groups[0]["betas"][0])
        optimizer.step()
        scheduler.step()
    print(json.dumps({"lr": rates, "beta1": betas}))


def fashion_config(classes, dropout=0.3, channels=(32, 64, 128)):
    layers = []
    for index, width in enumerate(channels):
        layers += [{"convolution": {"outChannels": width, "kernel": 3}}, {"relu": {}}]
        if index < len(channels) - 1:
            layers.append({"maxPool": {}})
    layers += [{"globalAveragePool": {}}, {"dropout": {"probability": dropout}}, {"linear": {"outFeatures": classes}}]
    return {"architecture": {"inputChannels": 1, "height": 28, "width": 28, "layers": layers}}


def train(arguments):
    import argparse
    import time

    import torchvision
    from torchvision import transforms

    parser = argparse.ArgumentParser()
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--augment", default="crop-flip")
    args = parser.parse_args(arguments)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    normalize = transforms.Normalize((0.286,), (0.353,))
    augment = [transforms.RandomCrop(28, padding=2), transforms.RandomHorizontalFlip()] if args.augment == "crop-flip" else []
    gray = lambda path: __import__("PIL.Image").Image.open(path).convert("L")
    train_set = torchvision.datasets.ImageFolder(args.train, transform=transforms.Compose(augment + [transforms.ToTensor(), normalize]), loader=gray)
    test_set = torchvision.datasets.ImageFolder(args.test, transform=transforms.Compose([transforms.ToTensor(), normalize]), loader=gray)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=256)
    net = build(fashion_config(len(train_set.classes)))
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=args.epochs * len(train_loader))
    criterion = torch.nn.CrossEntropyLoss()
    start = time.time()
    for _ in range(args.epochs):
        net.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(net(images), labels).backward()
            optimizer.step()
            scheduler.step()
    seconds = time.time() - start
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (net(images).argmax(1) == labels).sum().item()
            total += len(labels)
    print(json.dumps({"test_accuracy": correct / total, "seconds": seconds, "seed": args.seed}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "steps":
        steps(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "train":
        train(sys.argv[2:])
    elif command == "schedule":
        schedule(int(sys.argv[2]), float(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
